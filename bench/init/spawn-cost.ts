// bench/init/spawn-cost: what one spawn costs a Node process of init's size, node:child_process.spawn (libuv: fork,
// then exec) against glibc's posix_spawn (clone(CLONE_VM | CLONE_VFORK): no copy of the page tables) through koffi,
// each in a new session with three fds set up, as init's spawner asks. Run: npx tsx bench/init/spawn-cost.ts
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import koffi from 'koffi';

/** Spawns per method and round, rounds (methods alternate), and the heap kept alive to give the process init's size, in MiB. */
const SPAWNS = 100;
const ROUNDS = 5;
const HEAP_MIB = 40;
/** glibc's posix_spawn attribute flag for setsid() in the child (spawn.h, glibc ≥ 2.26). */
const POSIX_SPAWN_SETSID = 0x80;
/** sizeof(posix_spawn_file_actions_t) and sizeof(posix_spawnattr_t) on x86-64 glibc, with room to spare. */
const SPAWN_STRUCT_BYTES = 512;
const PROGRAM = '/bin/true';

const lib = koffi.load('libc.so.6');
const posixSpawn = lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)');
const actionsInit = lib.func('int posix_spawn_file_actions_init(void *actions)');
const actionsOpen = lib.func('int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int oflag, uint32_t mode)');
const attrInit = lib.func('int posix_spawnattr_init(void *attr)');
const attrSetFlags = lib.func('int posix_spawnattr_setflags(void *attr, short flags)');
const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');

function viaPosixSpawn(env: string[]): number {
  const actions = Buffer.alloc(SPAWN_STRUCT_BYTES);
  const attr = Buffer.alloc(SPAWN_STRUCT_BYTES);
  actionsInit(actions);
  for (const fd of [0, 1, 2]) actionsOpen(actions, fd, '/dev/null', fd === 0 ? 0 : 1, 0);
  attrInit(attr);
  attrSetFlags(attr, POSIX_SPAWN_SETSID);
  const pid = [0];
  const r = posixSpawn(pid, PROGRAM, actions, attr, [PROGRAM, null], [...env, null]) as number;
  if (r !== 0) throw new Error(`posix_spawn: error ${r}`);
  return pid[0]!;
}

async function round(method: 'child_process' | 'posix_spawn'): Promise<number> {
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  let inCall = 0;
  const exits: Promise<unknown>[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    const t = performance.now();
    if (method === 'child_process') {
      const child = spawn(PROGRAM, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: process.env });
      inCall += performance.now() - t;
      exits.push(new Promise((resolve) => child.once('exit', resolve)));
    } else {
      const pid = viaPosixSpawn(env);
      inCall += performance.now() - t;
      waitpid(pid, [0], 0); // /bin/true: gone at once; reaped outside the timed call
    }
  }
  await Promise.all(exits);
  return (inCall * 1000) / SPAWNS;
}

const ballast = Array.from({ length: HEAP_MIB }, () => Buffer.alloc(1 << 20, 1)); // resident, like init's heap
const results = { child_process: [] as number[], posix_spawn: [] as number[] };
for (let r = 0; r < ROUNDS; r++) for (const m of ['posix_spawn', 'child_process'] as const) results[m].push(await round(m));
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`spawn of ${PROGRAM}, µs in the spawning call, median of ${ROUNDS} rounds of ${SPAWNS} (min–max); RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [m, xs] of Object.entries(results)) console.log(`${m.padEnd(14)} ${med(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`);
void ballast.length;
