/**
 * The script-tag entry: the global `ResilientWebSocket` is the class itself,
 * so `new ResilientWebSocket(url)` works after `<script src=...>`, and every
 * other public export hangs off it as a static property.
 *
 * @module
 */

import * as api from './index.js';

const { ResilientWebSocket } = api;
for (const [name, value] of Object.entries(api)) {
  if (name !== 'ResilientWebSocket') Object.defineProperty(ResilientWebSocket, name, { value, enumerable: true });
}

export default ResilientWebSocket;
