// Real fortros-maintainer processes for the benchmark: spawned (in the bench's namespace when there is one) on
// 127.0.1.x, ready on fd 3, watched through WatchMembers/WatchWorkloads, and killed by pid whatever happens.
import { NODE_PATHS } from '@fortros/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { MaintainerV1 } from '@fortros/proto';
import { LOG_TAIL_LINES, READY_TIMEOUT_MS, STOP_GRACE_MS } from './constants.js';
import { NodeWatch, type NodeView } from './node-watch.js';
import { MAINTAINER_MAIN } from '@fortros/lab';

export { MAINTAINER_MAIN }; // where the built program is: @fortros/lab names every one (apps/lab/src/binaries.ts)

/** Every pid the bench started and has not seen exit: killed by the exit handler if the run ends abnormally. */
export const livePids = new Set<number>();

export class RealNode {
  child: ChildProcess | undefined;
  exited = false;
  readyAt = 0;
  readonly watch: NodeWatch;
  private readonly logs: string[] = [];
  private exitPromise: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly address: string,
    readonly root: string,
    private readonly join: string[],
    private readonly prefix: string[],
  ) {
    this.watch = new NodeWatch(name);
  }

  get id(): string {
    return this.watch.id;
  }

  get view(): NodeView {
    return this.watch.view;
  }

  get socket(): string {
    return join(this.root, NODE_PATHS.maintainerSocket);
  }

  /** Spawns the process and resolves once it wrote its readiness newline; then opens its watches. */
  async start(): Promise<void> {
    if (this.child && !this.exited) throw new Error(`${this.name}: already running`);
    const args = [process.execPath, MAINTAINER_MAIN, '--root', this.root, '--name', this.name, '--bind', this.address, '--mesh', 'none', '--notify-fd', '3', '--log-level', 'warn'];
    for (const j of this.join) args.push('--join', j);
    const [cmd, ...rest] = [...this.prefix, ...args];
    const child = spawn(cmd!, rest, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, FORTROS_TEST_DROP_PEERS_FILE: undefined, FORTROS_TEST_DROP_PEERS: undefined } });
    this.child = child;
    this.exited = false;
    if (child.pid !== undefined) livePids.add(child.pid);
    this.exitPromise = new Promise((resolve) => child.once('exit', () => ((this.exited = true), child.pid !== undefined && livePids.delete(child.pid), resolve())));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.logs.push(...s.split('\n').filter(Boolean));
      this.logs.splice(0, Math.max(0, this.logs.length - LOG_TAIL_LINES));
    });
    const fd3 = child.stdio[3] as Readable;
    const ready = new Promise<boolean>((resolve) => {
      fd3.on('data', (d: Buffer) => d.includes(0x0a) && resolve(true));
      fd3.once('end', () => resolve(false));
      fd3.once('error', () => resolve(false));
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([ready, this.exitPromise.then(() => false), new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), READY_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (outcome !== true) throw new Error(`${this.name} (${this.address}) did not become ready (${outcome === 'timeout' ? 'timeout' : 'exited'})\n${this.logs.join('\n')}`);
    this.readyAt = performance.now();
    await this.watch.open(this.socket);
  }

  api(): MaintainerV1.MaintainerClient {
    return this.watch.api();
  }

  /** Stops the watches and the client (before a kill, so no call is left hanging). */
  disconnect(): void {
    this.watch.close();
  }

  /** SIGKILL by pid; resolves once the process is gone. */
  async kill9(): Promise<void> {
    this.disconnect();
    if (this.child && !this.exited) this.child.kill('SIGKILL');
    await this.exitPromise;
  }

  /** SIGTERM, SIGKILL after STOP_GRACE_MS. */
  async stop(): Promise<void> {
    this.disconnect();
    if (!this.child || this.exited) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([this.exitPromise.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_GRACE_MS)))]);
    clearTimeout(timer);
    if (!gone) await this.kill9();
  }
}

/** N nodes under one temp dir: node i on `${hostPrefix}.${i + 1}:port`, all joining through node 0. */
export class RealCluster {
  readonly nodes: RealNode[] = [];

  private constructor(readonly dir: string) {}

  static async create(size: number, hostPrefix: string, port: number, prefix: string[]): Promise<RealCluster> {
    const c = new RealCluster(await mkdtemp(join(tmpdir(), 'fortros-bench-maintainer-')));
    tempDirs.add(c.dir);
    for (let i = 0; i < size; i++) {
      const address = `${hostPrefix}.${i + 1}:${port}`;
      c.nodes.push(new RealNode(`n${i}`, address, join(c.dir, `n${i}`), i === 0 ? [] : [`${hostPrefix}.1:${port}`], prefix));
    }
    return c;
  }

  get running(): RealNode[] {
    return this.nodes.filter((n) => n.child && !n.exited);
  }

  /** Stops every node (SIGTERM, then SIGKILL by pid) and removes the dir. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
    tempDirs.delete(this.dir);
  }
}

/** Temp dirs not yet removed (the exit handler removes them). */
export const tempDirs = new Set<string>();

/** Synchronous last-resort cleanup for process exit: SIGKILL every pid we started, remove our temp dirs. */
export function killEverythingSync(): void {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  livePids.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}
