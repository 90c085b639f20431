// The three measurements, each one boot of one peer in its own directory: a dependency chain (time to the last
// service's start), a flat set (time to all started) followed by SIGKILLs of one service (restart latency), and the
// bare chain; every boot is stopped, swept and removed whatever happens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMAND_TIMEOUT_MS, DRAIN_MS, RESTART_MIN_UP_MS, RESTART_TIMEOUT_MS } from './constants.js';
import type { Peer, RunDirs, ServiceDef } from './peers/peer.js';
import { drain, isOfRun, SupervisorProcess, sweep, trackMarker, untrackMarker } from './processes.js';
import { bareChain, bareFlat } from './program.js';
import { treeCpuMs, treeMemory, type TreeMemory } from './memory.js';
import { calibratedClock, firstStamps, msBetween, readStamps, waitFor, type Stamp } from './stamps.js';

export interface BootResult {
  /** ms from just before the supervisor's spawn to the last service's stamp. */
  ms: number;
  /** Dependency waits that failed and were retried by the supervisor (its stderr). */
  retries: number;
  /** The peer's own figures (peer.whileUp, peer.analyse). */
  extras: Record<string, number>;
  /** ms from the stop request until every process of the boot was gone, and whether the supervisor was SIGKILLed. */
  stopMs: number;
  forced: boolean;
  /** Processes of the boot still alive DRAIN_MS after the supervisor exited (then SIGKILLed by the sweep). */
  leftovers: number;
}

export interface FlatResult extends BootResult {
  /** ms from SIGKILL of a service up ≥ RESTART_MIN_UP_MS to its replacement's stamp, one per kill. */
  restartMs: number[];
  /** The same for a replacement killed right after its stamp (up < 1 s), and how long it had been up. */
  fastCrashMs: number;
  fastCrashUpMs: number;
  /** The supervision tree's memory with every service running, measured after the kills (a settled tree). */
  memory: TreeMemory;
  /** CPU ms the supervision tree used from its spawn until every service had started (read right after). */
  cpuMs: number;
}

async function withDir<T>(base: string, label: string, body: (run: RunDirs, marker: string) => Promise<T>): Promise<T> {
  const dir = join(base, label);
  const run = { dir, stamps: join(dir, 'stamps') };
  await mkdir(run.stamps, { recursive: true });
  trackMarker(dir); // the marker is the directory: unique per boot (the bench's temp dir is removed at exit)
  try {
    return await body(run, dir);
  } finally {
    await sweep(dir);
    await rm(dir, { recursive: true, force: true });
    untrackMarker(dir);
  }
}

/** Boots `services` under `peer`, runs `during` once `started` resolved, stops it; the figures of that boot. */
async function boot<T>(
  peer: Peer,
  run: RunDirs,
  marker: string,
  services: readonly ServiceDef[],
  started: (sup: SupervisorProcess) => Promise<Stamp>,
  during: (sup: SupervisorProcess) => Promise<T>,
): Promise<BootResult & { during: T }> {
  const launch = await peer.prepare(run, services);
  const clock = calibratedClock();
  const t0 = clock();
  const sup = new SupervisorProcess(launch, marker);
  let result: Pick<BootResult, 'ms' | 'extras'> & { during: T };
  let stop: { forced: boolean };
  let stopAsked: number;
  try {
    const last = await started(sup);
    const extras = (await peer.whileUp?.(run, services)) ?? {};
    result = { ms: msBetween(t0, last.ns), extras, during: await during(sup) };
  } catch (err) {
    const tail = sup.tail();
    throw tail && err instanceof Error && !err.message.includes(tail) ? new Error(`${err.message}; ${launch.file}'s stderr:\n${tail}`) : err;
  } finally {
    stopAsked = performance.now();
    stop = await sup.stop();
  }
  const leftovers = await drain(marker, DRAIN_MS);
  const stopMs = performance.now() - stopAsked;
  await sweep(marker);
  Object.assign(result.extras, (await peer.analyse?.(run, sup.lines, t0, services)) ?? {});
  return { ...result, retries: peer.retries?.(sup.lines) ?? 0, stopMs, forced: stop.forced, leftovers };
}

export async function chainBoot(peer: Peer, base: string, label: string, n: number): Promise<BootResult> {
  const services = Array.from({ length: n }, (_, i) => ({ name: `s${i + 1}`, after: i > 0 ? `s${i}` : undefined }));
  return withDir(base, label, (run, marker) =>
    boot(
      peer,
      run,
      marker,
      services,
      (sup) => waitFor({ dir: run.stamps, what: `${peer.name}: chain of ${n}`, check: async () => (await readStamps(run.stamps, `s${n}`))[0], failed: () => sup.gone() }),
      async () => undefined,
    ),
  );
}

/** SIGKILL the process of `stamp` (by its pid, once checked to be this boot's), wait for the next stamp of `name`. */
async function killAndTime(run: RunDirs, marker: string, name: string, stamp: Stamp, index: number, sup: SupervisorProcess): Promise<{ ms: number; upMs: number }> {
  if (!(await isOfRun(stamp.pid, marker))) throw new Error(`${name}: pid ${stamp.pid} is ${existsSync(`/proc/${stamp.pid}`) ? 'not a process of this boot' : 'gone'}`);
  const clock = calibratedClock();
  const tKill = clock();
  process.kill(stamp.pid, 'SIGKILL');
  const next = await waitFor({
    dir: run.stamps,
    what: `restart of ${name} after SIGKILL`,
    timeoutMs: RESTART_TIMEOUT_MS,
    check: async () => (await readStamps(run.stamps, name))[index + 1],
    failed: () => sup.gone(),
  });
  return { ms: msBetween(tKill, next.ns), upMs: msBetween(stamp.ns, tKill) };
}

export async function flatBoot(peer: Peer, base: string, label: string, n: number, kills: number): Promise<FlatResult> {
  const services = Array.from({ length: n }, (_, i) => ({ name: `f${i + 1}` }));
  const names = services.map((s) => s.name);
  const victim = names[0]!;
  return withDir(base, label, async (run, marker) => {
    const r = await boot(
      peer,
      run,
      marker,
      services,
      async (sup) => {
        const all = await waitFor({ dir: run.stamps, what: `${peer.name}: ${n} flat`, check: () => firstStamps(run.stamps, names), failed: () => sup.gone() });
        return all.reduce((a, b) => (b.ns > a.ns ? b : a));
      },
      async (sup) => {
        if (sup.pid === undefined) throw new Error(`${peer.name}: no supervisor pid`);
        const cpuMs = treeCpuMs(sup.pid);
        const restartMs: number[] = [];
        for (let k = 0; k < kills; k++) {
          const current = (await readStamps(run.stamps, victim))[k]!;
          const age = msBetween(current.ns, calibratedClock()());
          if (age < RESTART_MIN_UP_MS) await sleep(RESTART_MIN_UP_MS - age);
          restartMs.push((await killAndTime(run, marker, victim, current, k, sup)).ms);
        }
        const fresh = (await readStamps(run.stamps, victim))[kills]!;
        const fast = await killAndTime(run, marker, victim, fresh, kills, sup);
        return { restartMs, fastCrashMs: fast.ms, fastCrashUpMs: fast.upMs, memory: treeMemory(sup.pid), cpuMs };
      },
    );
    const { during, ...rest } = r;
    return { ...rest, ...during };
  });
}

/** The bare chain (program.ts): the program's own cost, no supervisor. */
export function bareBoot(base: string, label: string, n: number): Promise<number> {
  return withDir(base, label, (run, marker) => bareChain(run.dir, n, calibratedClock(), marker));
}

/** The bare flat set (program.ts): n programs started at once by one sh, no supervisor: the flat boot's floor. */
export function bareFlatBoot(base: string, label: string, n: number): Promise<number> {
  return withDir(base, label, (run, marker) => bareFlat(run.dir, n, calibratedClock(), marker));
}

/** ms for `node -e 0` to start and exit: what any Node.js supervisor pays before its first line of code. */
export async function nodeStartMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), COMMAND_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(`node -e 0: ${code === 'timeout' ? 'timed out' : `exited with ${code}`}`);
  }
  return performance.now() - started;
}
