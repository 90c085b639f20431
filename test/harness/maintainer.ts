// Runs built fortros-maintainer processes as a cluster on 127.0.0.x: readiness on fd 3, clients on each node's
// socket, kill -9 and restart, and cleanup by pid after every test (pass or fail).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { NODE_PATHS } from '@fortros/core';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { MaintainerV1 } from '@fortros/proto';
import { waitUntil, type WaitOptions } from './wait.js';
import { onLines } from './lines.js';
import { MAINTAINER_MAIN } from '@fortros/lab';

export { MAINTAINER_MAIN }; // where the built program is: @fortros/lab names every one (apps/lab/src/binaries.ts)
/** Log lines kept per node for failure reports. */
const MAX_LOG_LINES = 400;
/** How long a node may take to become ready (2 cores shared with other test suites). */
export const READY_TIMEOUT_MS = 90_000;
const CLEANUP_TERM_GRACE_MS = 5_000;
/** Default of Cluster.waitForMembers (ms; generous: up to 16 nodes on 2 cores shared with other test suites). */
export const MEMBERS_WAIT_MS = 120_000;
/** Lowest port a cluster may use (below: well-known and commonly registered services). */
const CLUSTER_PORT_MIN = 10_000;
/** Fewest ports a range must hold to be picked from. */
const CLUSTER_PORT_RANGE_MIN = 1_000;
/** Linux's default ephemeral port range, assumed when /proc/sys/net/ipv4/ip_local_port_range cannot be read. */
const EPHEMERAL_PORTS_DEFAULT: readonly [number, number] = [32_768, 60_999];
/** Random ports probed before Cluster.create gives up. */
const CLUSTER_PORT_ATTEMPTS = 50;
/** How long a node's start waits for its host:port to be free (ms; a restarted node's predecessor just exited). */
const PORT_FREE_TIMEOUT_MS = 10_000;
const PORT_FREE_POLL_MS = 100;

export type LogRecord = Record<string, unknown> & { time: string; level: string; msg: string };

export interface NodeSpec {
  /** Directory name under the cluster dir (the node's --root). */
  name: string;
  host: string;
  port: number;
  join: string[];
  env: Record<string, string>;
  extraArgs: string[];
}

/** One fortros-maintainer process (restartable on the same root). */
export class MaintainerNode {
  child: ChildProcess | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly logs: LogRecord[] = [];
  private client: MaintainerV1.MaintainerClient | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly cluster: Cluster,
    readonly spec: NodeSpec,
  ) {}

  get address(): string {
    return `${this.spec.host}:${this.spec.port}`;
  }
  get root(): string {
    return join(this.cluster.dir, this.spec.name);
  }
  get socket(): string {
    return join(this.root, NODE_PATHS.maintainerSocket);
  }
  /** The test-only drop list this node re-reads (FORTROS_TEST_DROP_PEERS_FILE). */
  get dropFile(): string {
    return join(this.cluster.dir, `${this.spec.name}.drop`);
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== undefined && this.exit === undefined;
  }

  /** Spawns the node and resolves once it wrote its readiness newline on fd 3. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name}: already running`);
    this.closeClient();
    await waitUntil(() => portFree(this.spec.host, this.spec.port), {
      timeoutMs: PORT_FREE_TIMEOUT_MS,
      intervalMs: PORT_FREE_POLL_MS,
      what: `${this.address} free for TCP and UDP before starting ${this.spec.name}`,
    });
    const args = [MAINTAINER_MAIN, '--root', this.root, '--name', this.spec.name, '--bind', this.address, '--mesh', 'none', '--notify-fd', '3', '--log-format', 'json'];
    for (const j of this.spec.join) args.push('--join', j);
    args.push(...this.spec.extraArgs);
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORTROS_TEST_DROP_PEERS_FILE: this.dropFile, ...this.spec.env },
    });
    this.child = child;
    this.exit = undefined;
    this.cluster.live.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.cluster.live.delete(this);
        resolve();
      }),
    );
    onLines(child.stderr!, (l) => this.line(l));
    const fd3 = child.stdio[3] as Readable;
    const ready = new Promise<boolean>((resolve) => {
      fd3.on('data', (d: Buffer) => d.includes(0x0a) && resolve(true));
      fd3.once('end', () => resolve(false));
      fd3.once('error', () => resolve(false));
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([ready, this.exited.then(() => false), new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), READY_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (outcome !== true) throw new Error(`${this.spec.name} (${this.address}) did not become ready (${outcome === 'timeout' ? 'timeout' : JSON.stringify(this.exit)})\n${this.tail()}`);
    this.closeClient();
  }

  private line(l: string): void {
    try {
      this.logs.push(JSON.parse(l) as LogRecord);
    } catch {
      this.logs.push({ time: '', level: 'raw', msg: l });
    }
    if (this.logs.length > MAX_LOG_LINES) this.logs.shift();
  }

  tail(n = 25): string {
    return this.logs.slice(-n).map((r) => JSON.stringify(r)).join('\n');
  }

  /** A client on this node's local API (reconnected after a restart). */
  api(): MaintainerV1.MaintainerClient {
    this.client ??= createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), this.socket);
    return this.client;
  }

  closeClient(): void {
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }

  async node(): Promise<MaintainerV1.Node__Output> {
    return unary(this.api(), 'GetNode', {});
  }

  async members(): Promise<MaintainerV1.Member__Output[]> {
    return (await unary(this.api(), 'ListMembers', {})).members;
  }

  async putWorkload(spec: unknown): Promise<MaintainerV1.Workload__Output> {
    return unary(this.api(), 'PutWorkload', { specJson: JSON.stringify(spec) });
  }

  async workloadIds(): Promise<string[]> {
    return (await unary(this.api(), 'ListWorkloads', {})).workloads.map((w) => w.id);
  }

  async orgJson(): Promise<string> {
    return (await unary(this.api(), 'GetOrg', {})).json;
  }

  /** Replaces this node's drop list (the node re-reads it within FAULT_FILE_POLL_MS). */
  async dropPeers(addresses: string[]): Promise<void> {
    await writeFile(this.dropFile, addresses.join('\n'));
  }

  /** SIGKILL by pid; resolves once the process is gone. */
  async kill9(): Promise<void> {
    this.closeClient();
    if (this.running) this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(): Promise<void> {
    this.closeClient();
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([this.exited.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), CLEANUP_TERM_GRACE_MS)))]);
    clearTimeout(timer);
    if (!gone) await this.kill9();
  }
}

let clusterCounter = 0;

/**
 * A set of nodes under one temp dir, each on its own 127.0.x.y address, all on one random port outside the kernel's
 * ephemeral range (so no outgoing connection can hold it) that was free for TCP and UDP on every address.
 */
export class Cluster {
  readonly nodes: MaintainerNode[] = [];
  readonly live = new Set<MaintainerNode>();
  private readonly subnet: number;

  private constructor(
    readonly dir: string,
    private readonly port: number,
  ) {
    clusterCounter++;
    this.subnet = 1 + ((process.pid + clusterCounter * 7) % 250);
  }

  static async create(): Promise<Cluster> {
    const port = await pickClusterPort();
    const c = new Cluster(await mkdtemp(join(tmpdir(), 'fortros-maintainer-test-')), port);
    clusters.add(c);
    return c;
  }

  /** Adds (does not start) a node; the first node added is the seed the others join through unless `join` says otherwise. */
  add(options: { join?: string[]; env?: Record<string, string>; extraArgs?: string[] } = {}): MaintainerNode {
    const i = this.nodes.length;
    const spec: NodeSpec = {
      name: `n${i}`,
      host: `127.0.${this.subnet}.${i + 1}`,
      port: this.port,
      join: options.join ?? (i === 0 ? [] : [this.nodes[0]!.address]),
      env: options.env ?? {},
      extraArgs: options.extraArgs ?? [],
    };
    const node = new MaintainerNode(this, spec);
    this.nodes.push(node);
    return node;
  }

  /** Starts a seed and `n - 1` nodes joining through it; resolves when all are ready. */
  async startNodes(n: number): Promise<MaintainerNode[]> {
    const seed = this.add();
    await seed.start();
    const rest = Array.from({ length: n - 1 }, () => this.add());
    await Promise.all(rest.map((node) => node.start()));
    return [seed, ...rest];
  }

  /** Kills every node still running (SIGKILL by pid), closes clients, removes the dir. */
  async cleanup(): Promise<void> {
    clusters.delete(this);
    await Promise.all(this.nodes.map((n) => n.kill9()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Every running node's ListMembers, polled until `check` accepts all of them. */
  async waitForMembers(check: (members: MaintainerV1.Member__Output[], node: MaintainerNode) => boolean, options: WaitOptions = {}): Promise<void> {
    const running = (): MaintainerNode[] => this.nodes.filter((n) => n.running);
    await waitUntil(
      async () => {
        for (const n of running()) {
          const ok = await n.members().then((m) => check(m, n), () => false);
          if (!ok) return false;
        }
        return true;
      },
      { timeoutMs: MEMBERS_WAIT_MS, intervalMs: 250, ...options },
    );
  }
}

const clusters = new Set<Cluster>();

/** Ports a cluster may pick from: below the ephemeral range when there is room, else above it. */
async function clusterPortRange(): Promise<[number, number]> {
  const [low, high] = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').then(
    (text) => {
      const [l, h] = text.trim().split(/\s+/).map(Number);
      return Number.isInteger(l) && Number.isInteger(h) ? [l!, h!] : EPHEMERAL_PORTS_DEFAULT;
    },
    () => EPHEMERAL_PORTS_DEFAULT,
  );
  if (low - CLUSTER_PORT_MIN >= CLUSTER_PORT_RANGE_MIN) return [CLUSTER_PORT_MIN, low - 1];
  if (65_535 - high >= CLUSTER_PORT_RANGE_MIN) return [high + 1, 65_535];
  return [CLUSTER_PORT_MIN, 65_535]; // no room outside the ephemeral range: the probe alone must do
}

/** A random port of clusterPortRange() free for TCP and UDP on every address (0.0.0.0 conflicts with any bind). */
async function pickClusterPort(): Promise<number> {
  const [min, max] = await clusterPortRange();
  for (let i = 0; i < CLUSTER_PORT_ATTEMPTS; i++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (await portFree('0.0.0.0', port)) return port;
  }
  throw new Error(`no free port for a cluster after ${CLUSTER_PORT_ATTEMPTS} tries in ${min}-${max}`);
}

/** True when a TCP listener and a UDP socket can both bind host:port right now; both are closed again. */
export async function portFree(host: string, port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      try {
        socket.close();
      } catch {
        /* never bound: nothing to close */
      }
      resolve(false);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** Kill every node started by a test, pass or fail; call once at the top of a describe(). */
export function cleanupAfterEach(): void {
  afterEach(async function () {
    this.timeout(60_000);
    if (this.currentTest?.state === 'failed') {
      for (const c of clusters) for (const n of c.nodes) process.stderr.write(`---- ${n.spec.name} ${n.address} (last log lines)\n${n.tail(15)}\n`);
    }
    await Promise.all([...clusters].map((c) => c.cleanup()));
  });
}

/** A minimal valid process workload spec (DESIGN §9). */
export function workload(id: string, node = 'n0'): Record<string, unknown> {
  return { id, driver: 'process', command: '/bin/true', placement: { nodes: [node] } };
}
