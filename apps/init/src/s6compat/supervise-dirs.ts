// An s6-compatible `supervise/` for each longrun init runs, in <run-dir>/service/NAME, so s6's own tools work
// on it: a locked `supervise/lock` (s6-svok, s6-svstat), `supervise/status` (s6-svstat, s6-svwait), an
// `event/` directory whose fifos get s6-supervise's event letters (s6-svwait), and a `supervise/control` fifo
// whose commands (s6-svc -u -d -r -t -k …) become supervisor calls. The directory also links every file of the
// service's source directory and is where its `run` and `finish` run, as in s6-rc's live directory, so tools
// that look in their working directory (s6-notifyoncheck: notification-fd, data/check, supervise/) work too.
import {
  chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, renameSync, symlinkSync, unlinkSync, writeFileSync, writeSync,
  constants as fsc,
} from 'node:fs';
import { Socket } from 'node:net';
import { constants as osc } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import { S6_CONTROL_SIGNALS, S6_EVENT_DIR_MODE, S6_SUPERVISE_DIR_MODE } from '../constants.js';
import { loadLibc } from '../pid1/libc.js';
import { ServiceState } from '../service/lifecycle.js';
import type { ServiceStatus } from '../service/service-status.js';
import { packStatus, s6StatusOf, type S6Status } from './status-file.js';

/** What a control command does to the service (the supervisor's calls). */
export interface SuperviseControl {
  start(name: string): Promise<unknown>;
  stop(name: string): Promise<unknown>;
  restart(name: string): Promise<unknown>;
  signal(name: string, signal: NodeJS.Signals): Promise<unknown>;
}

export interface SuperviseComponents {
  /** <run-dir>/service: one directory per longrun. */
  base: string;
  control: SuperviseControl;
  log: Logger;
  nowMs(): number;
}

/** What init itself keeps in an s6 service directory (never links to the source). */
const OWN_ENTRIES = new Set(['supervise', 'event']);

/**
 * One service's s6 directory. What its `run` may look at when spawned (the directory, its links, a locked
 * `supervise/lock` and `event/`: s6-notifyoncheck checks the lock and subscribes to `event/`) is made on the
 * spawn path; what only s6 tools outside it use (the control fifo, the status file) is made by the first `update`,
 * which boot batches right after the loop turn that spawned it.
 */
interface Entry {
  dir: string;
  lockFd: number;
  /** Made by the first `update`. */
  fifo?: Socket;
  status?: S6Status;
  /** The definition the source links were last made for: a respawn of the same definition does no fs work. */
  linkedFor?: ServiceDefinition;
  /** Just made by `create`: no stale link to look for. */
  fresh: boolean;
}

export class SuperviseDirs {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly c: SuperviseComponents) {}

  /** The directory s6 tools are given for `name` (`s6-svstat DIR`). */
  dirOf(name: string): string {
    return join(this.c.base, name);
  }

  /**
   * The working directory of `def`'s run and finish: its s6 directory, with a symlink to each entry of its
   * source directory (stale ones removed; checked again only when the definition changed, by a rescan). Falls back
   * to the source directory, with a warning, on any error.
   */
  workDir(def: ServiceDefinition): string {
    if (this.closed) return def.dir;
    try {
      const known = this.entries.get(def.name);
      if (known?.linkedFor === def) return known.dir;
      const e = known ?? this.create(def.name);
      const wanted = new Set(readdirSync(def.dir).filter((f) => !OWN_ENTRIES.has(f)));
      for (const f of e.fresh ? [] : readdirSync(e.dir)) {
        if (OWN_ENTRIES.has(f)) continue;
        const path = join(e.dir, f);
        if (!lstatSync(path).isSymbolicLink()) continue;
        if (wanted.has(f) && readlinkSync(path) === join(def.dir, f)) wanted.delete(f);
        else unlinkSync(path);
      }
      for (const f of wanted) symlinkSync(join(def.dir, f), join(e.dir, f));
      e.linkedFor = def;
      e.fresh = false;
      return e.dir;
    } catch (err) {
      this.c.log.warn('s6 service directory not prepared; running in the source directory', { service: def.name, err: (err as Error).message });
      return def.dir;
    }
  }

  /** A longrun changed state: write its status and tell the waiters in `event/`. Never throws. */
  update(s: ServiceStatus): void {
    if (s.type !== 'longrun' || this.closed) return;
    try {
      const e = this.entries.get(s.name) ?? this.create(s.name);
      e.fifo ??= this.attach(s.name, e.dir);
      const signal = s.lastExit?.signal ? ((osc.signals as Record<string, number>)[s.lastExit.signal] ?? null) : null;
      const next = s6StatusOf({ state: s.state, pid: s.pid, lastExit: s.lastExit ? { code: s.lastExit.code, signal } : null }, e.status, this.c.nowMs());
      const prev = e.status;
      e.status = next;
      const tmp = join(e.dir, 'supervise', 'status.new');
      writeFileSync(tmp, packStatus(next));
      renameSync(tmp, join(e.dir, 'supervise', 'status'));
      this.notify(e, eventsOf(prev, next, s.state));
    } catch (err) {
      this.c.log.warn('s6 supervise directory not updated', { service: s.name, err: (err as Error).message });
    }
  }

  /** init is exiting: release every lock (s6 tools then say "s6-supervise not running") and close the fifos. */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) {
      e.fifo?.destroy();
      closeSync(e.lockFd);
    }
    this.entries.clear();
  }

  /** The directory, its locked `supervise/lock` and `event/`: what a spawn needs (`fresh`: no link in it yet). */
  private create(name: string): Entry {
    const dir = this.dirOf(name);
    const made = mkdirSync(join(dir, 'supervise'), { recursive: true, mode: S6_SUPERVISE_DIR_MODE }); // the first it made
    const fresh = made !== undefined && made !== join(dir, 'supervise');
    mkdirSync(join(dir, 'event'), { recursive: true });
    chmodSync(join(dir, 'event'), S6_EVENT_DIR_MODE); // setgid and sticky, as s6-supervise leaves it
    const lockFd = openSync(join(dir, 'supervise', 'lock'), fsc.O_WRONLY | fsc.O_CREAT | fsc.O_NONBLOCK, 0o644);
    if (loadLibc().lockFile(lockFd) !== 0) {
      closeSync(lockFd);
      throw new Error(`cannot lock ${join(dir, 'supervise', 'lock')}: another supervisor holds it`);
    }
    const e: Entry = { dir, lockFd, fresh };
    this.entries.set(name, e);
    return e;
  }

  /** The `supervise/control` fifo, read for s6-svc's commands. */
  private attach(name: string, dir: string): Socket {
    const ctl = join(dir, 'supervise', 'control');
    try {
      unlinkSync(ctl);
    } catch {
      /* none yet */
    }
    mkfifo(ctl);
    // read and write: the fifo never reads EOF when a writer (s6-svc) closes it
    const fifo = new Socket({ fd: openSync(ctl, fsc.O_RDWR | fsc.O_NONBLOCK), readable: true, writable: false });
    fifo.on('data', (chunk: Buffer) => this.command(name, chunk.toString('latin1')));
    fifo.on('error', (err) => this.c.log.warn('s6 control fifo failed', { service: name, err: err.message }));
    return fifo;
  }

  private command(name: string, letters: string): void {
    for (const letter of letters) {
      const signal = S6_CONTROL_SIGNALS[letter];
      const call =
        letter === 'u' ? this.c.control.start(name)
        : letter === 'd' ? this.c.control.stop(name)
        : letter === 'r' ? this.c.control.restart(name)
        : signal !== undefined ? this.c.control.signal(name, signal)
        : undefined;
      if (call === undefined) {
        this.c.log.warn('s6 control command not supported', { service: name, command: letter });
        continue;
      }
      this.c.log.info('s6 control command', { service: name, command: letter });
      call.catch((err: Error) => this.c.log.warn('s6 control command failed', { service: name, command: letter, err: err.message }));
    }
  }

  /** Write `letters` to every fifo in `event/` (s6's ftrigw: a fifo nobody reads any more is removed). */
  private notify(e: Entry, letters: string): void {
    if (letters === '') return;
    const events = join(e.dir, 'event');
    for (const f of readdirSync(events)) {
      if (!f.startsWith('ftrig1')) continue;
      let fd: number;
      try {
        fd = openSync(join(events, f), fsc.O_WRONLY | fsc.O_NONBLOCK);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENXIO') unlinkSync(join(events, f));
        continue;
      }
      try {
        writeSync(fd, letters, null, 'latin1');
      } catch {
        /* a full fifo: that listener misses the letters, as with s6 */
      } finally {
        closeSync(fd);
      }
    }
  }
}

/** s6-supervise's event letters for a change: u (spawned), U (ready), d (died), D (down and done). */
function eventsOf(prev: S6Status | undefined, next: S6Status, state: ServiceState): string {
  let out = '';
  if (next.pid > 0 && prev?.pid !== next.pid) out += 'u';
  if (next.pid > 0 && next.ready && !(prev?.ready && prev.pid === next.pid)) out += 'U';
  if (next.pid === 0 && prev !== undefined && prev.pid > 0) out += 'd';
  if (next.pid === 0 && state !== ServiceState.stopping && (prev === undefined || prev.pid > 0 || !prev.ready)) out += 'D';
  return out;
}

function mkfifo(path: string): void {
  if (loadLibc().mkfifo(path, 0o600) !== 0) throw new Error(`cannot make the fifo ${path} (errno ${loadLibc().errno()})`);
}
