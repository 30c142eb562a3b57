import { FaultProxy } from '../tools/fault-proxy.js';
import { startTarget, runProbe } from '../test/cli/support.js';
const server = await startTarget({ kind: 'companion' });
const proxy = await FaultProxy.start({ targetPort: server.port });
proxy.idleTimeout(2000);
const r = await runProbe(['probe', `ws://u:p@127.0.0.1:${proxy.port}/x?token=abc`, '--idle-max', '5', '--keepalive', '700', '-H', 'Authorization: x']);
console.log(r.stdout); console.log('--- stderr'); console.log(r.stderr, 'code', r.code);
await proxy.close(); await server.close();
