// fortros-lab-relay (internal, started by `fortros-lab console` inside a node's namespace): listens on a unix socket,
// relays each connection to 127.0.0.1:PORT of that namespace; says `listening` on stdout; ends when stdin closes.
import { rmSync } from 'node:fs';
import { MAX_PORT, RELAY_LISTENING } from './constants.js';
import { startRelay } from './relay.js';

const [path, portText] = process.argv.slice(2);
const port = Number(portText);
if (path === undefined || !/^\d+$/.test(portText ?? '') || port < 1 || port > MAX_PORT) {
  process.stderr.write('usage: relay-main SOCKET PORT (relays SOCKET to 127.0.0.1:PORT)\n');
  process.exit(2);
}
rmSync(path, { force: true });
const server = await startRelay({ path }, { host: '127.0.0.1', port });
const stop = (): void => {
  server.close();
  rmSync(path, { force: true });
  process.exit(0);
};
// the parent's end of stdin closes when it exits, however it ends: never outlive it
process.stdin.on('end', stop).on('error', stop).resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`${RELAY_LISTENING}\n`);
