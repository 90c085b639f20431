// Mesh fixtures for tests: a lab prefix unique to this process, WireGuard nodes on a lab's namespaces (libs/wireguard),
// and TCP probes run inside node namespaces (a listener that answers "pong", a client that expects it).
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { LabCommandError, run, type Lab, type LabNode } from '@fortros/netlab';
import { generateKeyPair, WireguardInterface, type DesiredPeer, type KeyPair } from '@fortros/wireguard';
import { waitUntil } from './wait.js';

export const WG_PORT = 51820;
export const PROBE_PORT = 7070;
const PROBE_TIMEOUT_MS = 3_000;

/** A lab prefix for this process: `fw` + 4 hex digits of the pid (plus a counter for several labs). */
let labCounter = 0;
export function labPrefix(): string {
  return `fw${(process.pid & 0xffff).toString(16).padStart(4, '0')}${(labCounter++).toString(36)}`;
}

/** Why mesh tests cannot run here, or undefined when they can (root and /dev/net/tun). */
export function meshSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, WireGuard)';
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun (wireguard-go)';
  return undefined;
}

/** Skip the suite (saying why) where mesh tests cannot run. Call from a `before` hook. */
export function skipUnlessMesh(ctx: Mocha.Context): void {
  const why = meshSkipReason();
  if (!why) return;
  console.log(`      skipped: ${why}`);
  ctx.skip();
}

/** Install the hooks of a mesh suite: skip without root or tun; the test's lab destroyed after each test. */
export function meshSuite(): { current: Lab | undefined } {
  const slot: { current: Lab | undefined } = { current: undefined };
  before(function () {
    skipUnlessMesh(this);
  });
  afterEach(async () => {
    await slot.current?.destroy();
    slot.current = undefined;
  });
  return slot;
}

export interface MeshNode {
  node: LabNode;
  wg: WireguardInterface;
  keys: KeyPair;
  /** Overlay address, no prefix length. */
  overlay: string;
}

export function overlayOf(node: LabNode): string {
  return `10.99.0.${node.index}`;
}

/** A WireGuard interface in `node`'s namespace: key, port WG_PORT, overlay 10.99.0.<index>/24, up. */
export async function meshNode(lab: Lab, node: LabNode): Promise<MeshNode> {
  const wg = await WireguardInterface.create(lab.interfaceName(node), { netns: node.netns });
  if (wg.userspace?.pid) lab.registry.add({ kind: 'pid', pid: wg.userspace.pid });
  const keys = generateKeyPair();
  await wg.setPrivateKey(keys.privateKey);
  await wg.setListenPort(WG_PORT);
  await wg.addAddress(`${overlayOf(node)}/24`);
  await wg.up();
  return { node, wg, keys, overlay: overlayOf(node) };
}

export function peerOf(m: MeshNode): DesiredPeer {
  return { publicKey: m.keys.publicKey, endpoint: `${m.node.address}:${WG_PORT}`, allowedIps: [`${m.overlay}/32`] };
}

/** Give every node all the others as peers. */
export async function fullMesh(nodes: readonly MeshNode[]): Promise<void> {
  for (const m of nodes) await m.wg.applyPeers(nodes.filter((o) => o !== m).map(peerOf));
}

const SERVER = `const s=require('net').createServer(c=>{c.end('pong\\n')});s.listen(+process.argv[2],process.argv[1],()=>console.log('listening'))`;
const CLIENT = `const c=require('net').connect({host:process.argv[1],port:+process.argv[2]});let d='';c.setTimeout(+process.argv[3],()=>process.exit(3));c.on('data',x=>d+=x);c.on('end',()=>process.exit(d==='pong\\n'?0:4));c.on('error',()=>process.exit(5))`;

/** Start a "pong" listener on host:port inside `node`; resolves once it listens. Killed with the lab. */
export async function startProbeServer(lab: Lab, node: LabNode, host: string, port = PROBE_PORT): Promise<void> {
  const child = lab.spawn(node, process.execPath, ['-e', SERVER, host, String(port)], { buffer: false });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += String(d)));
  await waitUntil(() => {
    if (child.exitCode !== null) throw new Error(`probe server on ${host}:${port} exited in ${node.netns} (${child.exitCode})`);
    return out.includes('listening');
  }, { what: `probe server on ${host}:${port} in ${node.netns}` });
}

/** True when a TCP connection from `node` to host:port gets "pong" within PROBE_TIMEOUT_MS. */
export async function tcpReaches(lab: Lab, node: LabNode, host: string, port = PROBE_PORT, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    await lab.exec(node, process.execPath, ['-e', CLIENT, host, String(port), String(timeoutMs)], { timeoutMs: timeoutMs + 5_000 });
    return true;
  } catch (err) {
    if (err instanceof LabCommandError) return false;
    throw err;
  }
}

/** Network namespaces and host-namespace links now, for before/after comparisons. */
export async function hostSnapshot(): Promise<{ netns: string[]; links: string[] }> {
  const netns = (await execa('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
  const links = (await execa('ip', ['-o', 'link'])).stdout.split('\n').map((l) => l.split(':')[1]!.trim().split('@')[0]!).filter(Boolean);
  return { netns, links };
}

/** The pids of the wireguard-go processes inside `node`'s namespace. */
export async function wireguardGoPids(node: LabNode): Promise<number[]> {
  const comm = (pid: number): string => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const pids = (await run('ip', ['netns', 'pids', node.netns])).split('\n').map(Number);
  return pids.filter((p) => p > 0 && comm(p) === 'wireguard-go');
}
