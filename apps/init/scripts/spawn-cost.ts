// scripts/spawn-cost: what one spawn costs a Node process of init's size, through init's two spawners:
// node:child_process (libuv: fork, then exec) and posix_spawn (glibc: clone(CLONE_VM | CLONE_VFORK), no copy of the
// page tables), each as init spawns a service: new session, stdout, stderr and a notification fd piped.
// Run (from the repo root): npx tsx apps/init/scripts/spawn-cost.ts
import { loadavg, tmpdir } from 'node:os';
import { createPosixSpawner } from '../src/process/posix-spawner.js';
import { createNodeSpawner, type SpawnedProcess, type Spawner } from '../src/process/spawner.js';

/** Spawns per spawner and round, rounds (spawners alternate), and the memory kept resident to give the process init's size, in MiB. */
const SPAWNS = 100;
const ROUNDS = 5;
const BALLAST_MIB = 40;
const PROGRAM = '/bin/true';
const NOTIFICATION_FD = 3;

const posix = createPosixSpawner();
process.on('SIGCHLD', () => posix.collect());
/** A signal listener does not keep Node's loop alive: a timer does, while exits are awaited (and collects, as init's does). */
const COLLECT_INTERVAL_MS = 100;
setInterval(() => posix.collect(), COLLECT_INTERVAL_MS);
const SPAWNERS: Record<string, Spawner> = { 'node:child_process': createNodeSpawner(), posix_spawn: posix };

/** µs spent inside spawn(), per spawn; waits for every exit before returning. */
async function round(spawner: Spawner): Promise<number> {
  let inCall = 0;
  const exits: Promise<void>[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    const t = performance.now();
    const child: SpawnedProcess = spawner.spawn({ file: PROGRAM, args: [], cwd: tmpdir(), env: process.env, notificationFd: NOTIFICATION_FD });
    inCall += performance.now() - t;
    for (const r of [child.stdout, child.stderr, child.notification]) r?.resume();
    exits.push(new Promise((resolve) => child.onExit(() => resolve())));
  }
  await Promise.all(exits);
  return (inCall * 1000) / SPAWNS;
}

const ballast = Array.from({ length: BALLAST_MIB }, () => Buffer.alloc(1 << 20, 1));
const results = new Map<string, number[]>(Object.keys(SPAWNERS).map((k) => [k, []]));
const loadBefore = loadavg();
for (let r = 0; r < ROUNDS; r++) for (const [name, s] of Object.entries(SPAWNERS)) results.get(name)!.push(await round(s));
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
const say = (line: string): void => void process.stdout.write(`${line}\n`);
say(`${PROGRAM} spawned ${SPAWNS} times per round, ${ROUNDS} rounds; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (${ballast.length} MiB ballast); load ${fmt(loadBefore)} before, ${fmt(loadavg())} after`);
say('µs inside spawn() per spawn, median of the rounds (min–max):');
for (const [name, xs] of results) say(`  ${name.padEnd(20)} ${med(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`);
process.exit(0);
