// A Supervisor on a fake clock and a fake spawner: the real event loop, tree loader and lifecycle, with time and
// processes in the test's hands. Nothing waits on real time: the loop is run turn by turn until it is still.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@fortros/log';
import { loadServiceTree } from '@fortros/servicedir';
import type { OutputFactory } from '../../src/output/output-sink.js';
import type { ServiceStatus } from '../../src/service/service-status.js';
import { Supervisor, type ReloadResult, type ServiceStateChange } from '../../src/supervisor/supervisor.js';
import { FakeClock } from './fake-clock.js';
import { FakeProber } from './fake-prober.js';
import { FakeSpawner } from './fake-spawner.js';

/** Service name → file name → content (a service directory of the s6-rc source format). */
export type Files = Record<string, Record<string, string>>;

/** Where the fake clock starts (ms since the epoch). */
export const T0 = 1_800_000_000_000;
/** Turns of the event loop with nothing changing before the supervisor counts as still. */
const STILL_TURNS = 3;
/** Most turns `settle` and `until` take before they give up: a loop that never settles is a bug. */
const MAX_TURNS = 2_000;
/** Most timers `close` fires while shutting down. */
const MAX_SHUTDOWN_TIMERS = 1_000;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A longrun whose `run` is never executed (the fake spawner only records it); `extra` adds setting files. */
export const longrun = (extra: Record<string, string> = {}): Record<string, string> => ({ type: 'longrun\n', run: '#!/bin/sh\nexit 0\n', ...extra });
export const bundle = (...members: string[]): Record<string, string> => ({ type: 'bundle\n', contents: members.map((m) => `${m}\n`).join('') });
export const needs = (...deps: string[]): Record<string, string> => ({ dependencies: deps.map((d) => `${d}\n`).join('') });

/** For a describe block: a `boot` whose harness is closed (shut down, tree removed) after each test. */
export function bootPerTest(): (services: Files) => Promise<SupervisorHarness> {
  let current: SupervisorHarness | undefined;
  afterEach(async () => {
    const h = current;
    current = undefined;
    await h?.close();
  });
  return async (services) => (current = await SupervisorHarness.boot(services));
}

export class SupervisorHarness {
  readonly clock = new FakeClock(T0);
  readonly spawner = new FakeSpawner(() => this.clock.now());
  /** Every state change, in order. */
  readonly changes: ServiceStateChange[] = [];
  /** The supervisor's log records (JSON lines). */
  readonly records: string[] = [];
  sup!: Supervisor;

  private constructor(readonly dir: string) {}

  /** Write `services` into a fresh directory, load it with the real loader and start a supervisor on it. */
  /** The health checks the supervisor runs; the test answers them. */
  readonly prober = new FakeProber();

  static async boot(services: Files): Promise<SupervisorHarness> {
    const h = new SupervisorHarness(await mkdtemp(join(tmpdir(), 'gi-harness-')));
    await h.write(services);
    const output: OutputFactory = { open: () => ({ writeLine: () => undefined, close: () => undefined }) };
    const logger = createLogger({ sink: { write: (l) => void h.records.push(l) }, format: 'json', level: 'debug' });
    h.sup = new Supervisor(await loadServiceTree(h.dir), { clock: h.clock, spawner: h.spawner, logger, output, env: {}, prober: h.prober });
    h.sup.on('service:state', (c) => h.changes.push(c));
    h.sup.start();
    await h.settle();
    return h;
  }

  /** (Re)write service directories; a service given here replaces its directory as a whole. */
  async write(services: Files): Promise<void> {
    for (const [name, files] of Object.entries(services)) {
      await rm(join(this.dir, name), { recursive: true, force: true });
      await mkdir(join(this.dir, name), { recursive: true });
      for (const [file, content] of Object.entries(files)) {
        const path = join(this.dir, name, file);
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, content);
        if (file === 'run' || file === 'finish') await chmod(path, 0o755);
      }
    }
  }

  async remove(...names: string[]): Promise<void> {
    for (const n of names) await rm(join(this.dir, n), { recursive: true, force: true });
  }

  /** Load the directory again and rescan (SIGHUP's path); resolves with what the supervisor reports. */
  async reload(): Promise<ReloadResult> {
    const result = await this.sup.reload(await loadServiceTree(this.dir));
    await this.settle();
    return result;
  }

  status(name: string): ServiceStatus {
    return this.sup.status(name);
  }

  state(name: string): string {
    return this.sup.status(name).state;
  }

  /** Run the event loop until nothing changes for a few turns (no time passes on the fake clock). */
  async settle(): Promise<void> {
    let last = '';
    let still = 0;
    for (let i = 0; i < MAX_TURNS; i++) {
      await turn();
      const now = this.fingerprint();
      still = now === last ? still + 1 : 0;
      if (still >= STILL_TURNS) return;
      last = now;
    }
    throw new Error(`the supervisor did not settle within ${MAX_TURNS} turns`);
  }

  /** Move the fake clock forward by `ms`, firing every timer due on the way at its time and settling after each. */
  async advance(ms: number): Promise<void> {
    await this.settle(); // what was asked before takes effect now, not later
    const target = this.clock.now() + ms;
    while (this.clock.fireNext(target)) await this.settle();
    this.clock.moveTo(target);
    await this.settle();
  }

  /** Move the fake clock to the next timer and fire it (and any due at the same time). Returns the new time. */
  async advanceToNextTimer(): Promise<number> {
    const at = this.clock.nextAt();
    if (at === undefined) throw new Error('no timer is armed');
    await this.advance(at - this.clock.now());
    return this.clock.now();
  }

  /** Shut the supervisor down, firing timers (kill timeouts) as the shutdown needs them, and remove the tree. */
  async close(): Promise<void> {
    let stopped = false;
    const stop = this.sup.stop().finally(() => void (stopped = true));
    for (let i = 0; i < MAX_SHUTDOWN_TIMERS && !stopped; i++) {
      await this.settle();
      if (stopped || this.clock.nextAt() === undefined) break;
      await this.advanceToNextTimer();
    }
    try {
      if (!stopped) throw new Error(`shutdown did not end: ${JSON.stringify(this.sup.snapshot().filter((s) => s.state !== 'inactive' && s.state !== 'failed'))}`);
      await stop;
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  /** State changes of `name` into `to`, in order. */
  entered(name: string, to: string): ServiceStateChange[] {
    return this.changes.filter((c) => c.name === name && c.to === to);
  }

  private fingerprint(): string {
    const procs = this.spawner.spawned.map((p) => (p.alive ? 1 : 0)).join('');
    return `${JSON.stringify(this.sup.snapshot())}|${procs}|${this.spawner.signals.length}|${this.clock.pending}|${this.changes.length}|${this.prober.checks.length}`;
  }
}
