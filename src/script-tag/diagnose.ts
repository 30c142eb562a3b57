/**
 * The script-tag file of the diagnosis
 * (`dist/resilient-websocket.diagnose.umd.js`). Loaded after the main
 * script-tag file, it adds `ResilientWebSocket.diagnose` to the global
 * class; under AMD `define` or CommonJS `require` it is the `diagnose`
 * function itself. Apart so that the main file stays lean for the pages
 * that never diagnose. Pure: it does not bundle the class.
 *
 * @module
 */

import { diagnose } from '../diagnosis/index.js';

export default diagnose;
