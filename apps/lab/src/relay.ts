// A TCP relay: a server that pipes each accepted connection to a fresh one to a fixed target (a port or unix socket).
import { connect, createServer, type NetConnectOpts, type Server, type Socket } from 'node:net';
import { RELAY_MAX_CONNECTIONS } from './constants.js';

/** Where a relay listens: a unix socket path, or a port on a host. */
export type RelayListen = { path: string } | { host: string; port: number };

/** Pipes `inbound` to a new connection to `target` both ways; either side closing or failing ends both. */
function pipeTo(inbound: Socket, target: NetConnectOpts): void {
  const outbound = connect(target);
  const end = (): void => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.once('error', end).once('close', end);
  outbound.once('error', end).once('close', end);
  inbound.pipe(outbound).pipe(inbound);
}

/** Listens at `at` (rejects with the listen error, e.g. EADDRINUSE) and relays every connection to `target`. */
export function startRelay(at: RelayListen, target: NetConnectOpts): Promise<Server> {
  const server = createServer((socket) => pipeTo(socket, target));
  server.maxConnections = RELAY_MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}

/** A relay on the first free port of `host` from `first` on (`tries` ports at most); other listen errors are thrown. */
export async function startRelayOnFreePort(host: string, first: number, tries: number, target: NetConnectOpts): Promise<Server> {
  for (let port = first; ; port++) {
    try {
      return await startRelay({ host, port }, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port >= first + tries - 1) throw err;
    }
  }
}
