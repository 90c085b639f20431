// A Spawner on glibc's posix_spawn (clone with CLONE_VM | CLONE_VFORK: no copy of init's page tables per spawn),
// bound through koffi. libuv does not know these children: init collects their exits itself, by pid, exactly once.
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import type { Readable } from 'node:stream';
import { koffi } from '../pid1/koffi-native.js';
import { ProcFs } from '@fortros/procfs';
import { SpawnError } from '../errors.js';
import { loadLibc, O_CLOEXEC, WNOHANG } from '../pid1/libc.js';
import { deadPerProc, sendSignal, type SpawnedProcess, type Spawner, type SpawnRequest } from './spawner.js';

/** spawn.h flags (glibc ≥ 2.26 for SETSID). */
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
/** At least sizeof(posix_spawn_file_actions_t) (80), sizeof(posix_spawnattr_t) (336), sizeof(sigset_t) (128) on x86-64 glibc. */
const SPAWN_STRUCT_BYTES = 512;
const O_RDONLY = 0;

interface PosixSpawnLib {
  spawn(pid: number[], path: string, actions: Buffer, attr: Buffer, argv: (string | null)[], envp: (string | null)[]): number;
  actionsInit(actions: Buffer): number;
  actionsDestroy(actions: Buffer): number;
  addDup2(actions: Buffer, fd: number, newFd: number): number;
  addOpen(actions: Buffer, fd: number, path: string, flags: number, mode: number): number;
  addChdir(actions: Buffer, path: string): number;
  attrInit(attr: Buffer): number;
  attrSetFlags(attr: Buffer, flags: number): number;
  attrSetSigMask(attr: Buffer, set: Buffer): number;
  attrSetSigDefault(attr: Buffer, set: Buffer): number;
  sigEmpty(set: Buffer): number;
  sigFill(set: Buffer): number;
}

let bound: PosixSpawnLib | undefined;

function posixSpawnLib(): PosixSpawnLib {
  if (bound) return bound;
  const lib = koffi().load('libc.so.6');
  bound = {
    spawn: lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)'),
    actionsInit: lib.func('int posix_spawn_file_actions_init(void *actions)'),
    actionsDestroy: lib.func('int posix_spawn_file_actions_destroy(void *actions)'),
    addDup2: lib.func('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'),
    addOpen: lib.func('int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int oflag, uint32_t mode)'),
    addChdir: lib.func('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)'),
    attrInit: lib.func('int posix_spawnattr_init(void *attr)'),
    attrSetFlags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrSetSigMask: lib.func('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
    attrSetSigDefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
    sigEmpty: lib.func('int sigemptyset(void *set)'),
    sigFill: lib.func('int sigfillset(void *set)'),
  };
  return bound;
}

let attrs: Buffer | undefined;

/**
 * The spawn attributes, the same for every spawn (posix_spawn only reads them): a new session, no blocked signal,
 * and every signal at its default (Node ignores SIGPIPE; exec keeps that). Made once.
 */
function spawnAttr(lib: PosixSpawnLib): Buffer {
  if (attrs) return attrs;
  const attr = Buffer.alloc(SPAWN_STRUCT_BYTES);
  const sigs = Buffer.alloc(SPAWN_STRUCT_BYTES);
  lib.attrInit(attr);
  lib.attrSetFlags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  lib.sigEmpty(sigs);
  lib.attrSetSigMask(attr, sigs);
  lib.sigFill(sigs);
  lib.attrSetSigDefault(attr, sigs);
  attrs = attr;
  return attr;
}

/** File actions are built anew for each spawn, in this one buffer (init spawns one at a time, on its one thread). */
const actions = Buffer.alloc(SPAWN_STRUCT_BYTES);

/** A pipe whose both ends close on exec: [read, write]. */
function cloexecPipe(): [number, number] {
  const fds = new Int32Array(2);
  if (loadLibc().pipe2(fds, O_CLOEXEC) !== 0) throw new Error(`pipe2 failed (errno ${loadLibc().errno()})`);
  return [fds[0]!, fds[1]!];
}

const ERRNO_NAMES = new Map(Object.entries(osConstants.errno).map(([name, n]) => [n, name]));
const SIGNAL_NAMES = new Map(Object.entries(osConstants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** waitpid's status word as (code, signal), as node:child_process reports it. */
function decodeStatus(status: number): [number | null, NodeJS.Signals | null] {
  const signal = status & 0x7f;
  return signal === 0 ? [(status >> 8) & 0xff, null] : [null, SIGNAL_NAMES.get(signal) ?? null];
}

interface Live {
  exited: boolean;
  listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void>;
}

export interface PosixSpawner extends Spawner {
  /** Collect the exit of every child that has ended (waitpid by pid, WNOHANG) and deliver it; call on SIGCHLD. */
  collect(): void;
}

/** `procfs` is where hasExited() looks for a child whose exit is not collected yet. */
export function createPosixSpawner(procfs = new ProcFs()): PosixSpawner {
  const live = new Map<number, Live>();
  const status = [0];
  return {
    spawn(req: SpawnRequest): SpawnedProcess {
      const lib = posixSpawnLib();
      const attr = spawnAttr(lib);
      const ours: number[] = []; // read ends, kept
      const theirs: number[] = []; // write ends and given fds' copies, closed in init after the spawn
      lib.actionsInit(actions);
      let pid: number;
      try {
        const piped = (target: number): number => {
          const [r, w] = cloexecPipe();
          ours.push(r);
          theirs.push(w);
          lib.addDup2(actions, w, target);
          return r;
        };
        if (req.stdinFd !== undefined) lib.addDup2(actions, req.stdinFd, 0);
        else lib.addOpen(actions, 0, '/dev/null', O_RDONLY, 0);
        const stdoutFd = req.stdoutFd === undefined ? piped(1) : (lib.addDup2(actions, req.stdoutFd, 1), undefined);
        const stderrFd = piped(2);
        const notificationFd = req.notificationFd !== undefined ? piped(req.notificationFd) : undefined;
        lib.addChdir(actions, req.cwd);
        const env = Object.entries(req.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
        const out = [0];
        const err = lib.spawn(out, req.file, actions, attr, [req.file, ...req.args, null], [...env, null]);
        // glibc reports a failed exec (and reaps that child): ENOENT, EACCES… name the file as a failed access would
        if (err !== 0) throw new SpawnError(req.file, ERRNO_NAMES.get(err) ?? `posix_spawn failed (errno ${err})`);
        pid = out[0]!;
        const entry: Live = { exited: false, listeners: [] };
        live.set(pid, entry);
        const reader = (fd: number | undefined): Readable | undefined => (fd === undefined ? undefined : new Socket({ fd, readable: true, writable: false }));
        const child: SpawnedProcess = {
          pid,
          stdout: reader(stdoutFd),
          stderr: reader(stderrFd)!,
          notification: reader(notificationFd),
          hasExited: () => entry.exited || deadPerProc(procfs, pid),
          onExit: (l) => void entry.listeners.push(l),
        };
        ours.length = 0; // handed to the sockets
        return child;
      } finally {
        for (const fd of [...theirs, ...ours]) closeSync(fd);
        lib.actionsDestroy(actions);
      }
    },
    collect() {
      const deliver = (pid: number, entry: Live): void => {
        live.delete(pid);
        entry.exited = true;
        const [code, signal] = decodeStatus(status[0]!);
        for (const l of entry.listeners) l(code, signal);
      };
      // the usual case: the zombie waitid names first is ours; collect it and look again (no pass over every child)
      for (;;) {
        const pid = loadLibc().peekZombie();
        if (pid <= 0) return; // no zombie child left: nothing of ours to collect
        const entry = live.get(pid);
        if (entry === undefined || loadLibc().waitpid(pid, status, WNOHANG) !== pid) break;
        deliver(pid, entry);
      }
      // an orphan's zombie (the reaper's) comes first: ask for each of ours by pid
      for (const [pid, entry] of live) if (loadLibc().waitpid(pid, status, WNOHANG) === pid) deliver(pid, entry);
    },
    kill: (pid, signal) => sendSignal(pid, signal),
    killGroup: (pgid, signal) => sendSignal(-pgid, signal),
  };
}
