// `fortros-lab console NODE`: starts the node's console service, then serves it on the host's 127.0.0.1 through a
// relay inside the node's namespace (a unix socket under the lab's state directory) until Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { RELAY_MAIN } from '../binaries.js';
import { HOST_CONSOLE_PORT, HOST_CONSOLE_PORT_TRIES, KILL_WAIT_MS, NODE_CONSOLE_PORT, NODE_READY_MS, RELAY_LISTENING, RELAY_START_MS } from '../constants.js';
import { NodeNotRunningError, PortInUseError, RelayFailedError } from '../errors.js';
import { ctlOk } from '../fortctl.js';
import { startRelay, startRelayOnFreePort } from '../relay.js';
import { chooseLab, initRuns, type CliContext } from './context.js';
import { findNode, labDir, readState, type NodeState } from './state.js';

const HOST = '127.0.0.1';

/** Resolves once `child` exits (at once if it has). */
const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** The relay inside `node`'s namespace, listening on `socket`; RelayFailedError with its stderr if it does not say so in time. */
async function startNodeRelay(lab: string, node: NodeState, socket: string): Promise<ChildProcess> {
  // `ip netns exec` execs the command itself: the child's pid is the relay's. Its own process group, so a terminal's
  // Ctrl-C reaches only this command, which ends it; it ends by itself when its stdin (this process) goes.
  const child = spawn('ip', ['netns', 'exec', node.netns, process.execPath, RELAY_MAIN, socket, String(NODE_CONSOLE_PORT)], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + String(d)).slice(-4096)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RelayFailedError(lab, node.name, `did not listen within ${RELAY_START_MS} ms`)), RELAY_START_MS);
      child.stdout!.on('data', (d: Buffer) => {
        stdout += String(d);
        if (stdout.split('\n').includes(RELAY_LISTENING)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => reject(new RelayFailedError(lab, node.name, `did not start: ${err.message}`)));
      child.once('exit', (code, signal) => reject(new RelayFailedError(lab, node.name, `exited (${code ?? signal}) before listening: ${stderr.trim()}`)));
    });
  } catch (err) {
    await stopRelay(child);
    throw err;
  }
  return child;
}

/** SIGTERM to the relay by pid (it removes its socket), SIGKILL if it is still there after KILL_WAIT_MS. */
async function stopRelay(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_WAIT_MS);
  await exited(child);
  clearTimeout(timer);
}

/** The host side: 127.0.0.1:`port`, or the first free port from HOST_CONSOLE_PORT on. */
async function listenOnHost(port: number | undefined, socket: string): Promise<Server> {
  const first = port ?? HOST_CONSOLE_PORT;
  const tries = port === undefined ? HOST_CONSOLE_PORT_TRIES : 1;
  try {
    return port === undefined ? await startRelayOnFreePort(HOST, first, tries, { path: socket }) : await startRelay({ host: HOST, port }, { path: socket });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(first, tries);
    throw err;
  }
}

export async function consoleOf(ctx: CliContext, nameFlag: string | undefined, ref: string, port: number | undefined): Promise<number> {
  const name = chooseLab(ctx, nameFlag);
  const node = findNode(await readState(ctx.base, name), ref);
  if (!initRuns(node)) throw new NodeNotRunningError(name, node.name);
  await ctlOk(node.name, node.root, ['start', 'console'], NODE_READY_MS);
  const socket = join(labDir(ctx.base, name), `console-${node.name}-${process.pid}.sock`);
  const relay = await startNodeRelay(name, node, socket);
  let server: Server | undefined;
  const stop = async (): Promise<void> => {
    server?.close();
    await stopRelay(relay);
    await rm(socket, { force: true });
  };
  try {
    server = await listenOnHost(port, socket);
  } catch (err) {
    await stop();
    throw err;
  }
  const disarm = ctx.onInterrupt(async () => {
    ctx.err(`fortros-lab: interrupted: no longer serving ${node.name}'s console (its service keeps running)`);
    await stop();
  });
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}/`;
  ctx.out(`${node.name} of lab ${name}: console at ${url} (Ctrl-C to stop; \`fortros-lab exec ${node.name} -- fortctl stop console\` stops the service)`);
  // serves until Ctrl-C (onInterrupt exits); the relay ending first (e.g. `down`) is a failure
  await exited(relay);
  disarm();
  await stop();
  throw new RelayFailedError(name, node.name, `ended (${relay.exitCode ?? relay.signalCode}) while serving ${url}`);
}
