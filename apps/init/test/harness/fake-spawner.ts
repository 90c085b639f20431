// A Spawner of pretend processes, injected in place of the real one: a test sees every spawn and signal, with the
// fake clock's time, and decides when a process becomes ready or exits. Signals end a process as the kernel's
// default action would, unless the test made its service ignore them; SIGKILL always ends it.
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import { SpawnError } from '../../src/errors.js';
import type { SpawnedProcess, Spawner, SpawnRequest } from '../../src/process/spawner.js';

/** A signal as the supervisor sent it: to one process, or to a whole group (`group`: true). */
export interface SentSignal {
  service: string;
  pid: number;
  group: boolean;
  signal: NodeJS.Signals;
  at: number;
}

/** Signals whose default action does not end a process. */
const HARMLESS: ReadonlySet<NodeJS.Signals> = new Set<NodeJS.Signals>(['SIGCONT', 'SIGCHLD', 'SIGWINCH', 'SIGURG']);
/** First pid handed out, above any real one a test might compare against by accident. */
const FIRST_FAKE_PID = 100_000;

export class FakeProcess implements SpawnedProcess {
  readonly stdout?: PassThrough;
  readonly stderr = new PassThrough();
  readonly notification?: PassThrough;
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  private readonly listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];

  constructor(
    readonly pid: number,
    /** The service, named by its directory (the spawn's cwd). */
    readonly service: string,
    readonly request: SpawnRequest,
    readonly spawnedAt: number,
    private readonly now: () => number,
  ) {
    if (request.stdoutFd === undefined) this.stdout = new PassThrough();
    if (request.notificationFd !== undefined) this.notification = new PassThrough();
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  hasExited(): boolean {
    return !this.alive;
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.listeners.push(listener);
  }

  /** Write the readiness newline on the notification fd. */
  ready(): void {
    if (this.notification === undefined) throw new Error(`${this.service}: no notification fd was asked for`);
    this.notification.write('\n');
  }

  /** Close the notification fd without a newline (the process lives on). */
  closeNotification(): void {
    this.notification?.end();
  }

  /** The process ends: its pipes close, and its exit is delivered after the current turn, as libuv would. */
  die(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (!this.alive) throw new Error(`${this.service} (pid ${this.pid}) has exited already`);
    this.exit = { code, signal, at: this.now() };
    this.stdout?.end();
    this.stderr.end();
    this.notification?.end();
    queueMicrotask(() => {
      for (const l of this.listeners) l(code, signal);
    });
  }
}

export class FakeSpawner implements Spawner {
  /** Every process spawned, in order. */
  readonly spawned: FakeProcess[] = [];
  /** Every signal sent, in order. */
  readonly signals: SentSignal[] = [];
  private readonly ignored = new Map<string, Set<NodeJS.Signals>>();
  private readonly cannotExec = new Set<string>();
  private nextPid = FIRST_FAKE_PID;

  constructor(private readonly now: () => number) {}

  /** Processes of `service` ignore `signal` from now on (SIGKILL cannot be ignored). */
  ignore(service: string, signal: NodeJS.Signals): void {
    if (!this.ignored.has(service)) this.ignored.set(service, new Set());
    this.ignored.get(service)!.add(signal);
  }

  /** Spawning a program of `service` fails as an unexecutable file does. */
  refuse(service: string): void {
    this.cannotExec.add(service);
  }

  /** The processes of `service` (of its `run`, `finish`, `up` or `down`: tell them apart by `request.file`). */
  of(service: string): FakeProcess[] {
    return this.spawned.filter((p) => p.service === service);
  }

  /** The one live process of `service`; throws when there is none or more than one. */
  live(service: string): FakeProcess {
    const live = this.of(service).filter((p) => p.alive);
    if (live.length !== 1) throw new Error(`${service}: expected 1 live process, got ${live.length}`);
    return live[0]!;
  }

  spawn(request: SpawnRequest): FakeProcess {
    const service = basename(request.cwd);
    if (this.cannotExec.has(service)) throw new SpawnError(request.file, 'EACCES');
    const p = new FakeProcess(this.nextPid++, service, request, this.now(), this.now);
    this.spawned.push(p);
    return p;
  }

  kill(pid: number, signal: NodeJS.Signals): void {
    const p = this.spawned.find((x) => x.pid === pid);
    this.signals.push({ service: p?.service ?? '?', pid, group: false, signal, at: this.now() });
    this.deliver(p, signal);
  }

  /** Every process is its own group leader (the real spawner makes pgid = pid). */
  killGroup(pgid: number, signal: NodeJS.Signals): void {
    const p = this.spawned.find((x) => x.pid === pgid);
    this.signals.push({ service: p?.service ?? '?', pid: pgid, group: true, signal, at: this.now() });
    this.deliver(p, signal);
  }

  private deliver(p: FakeProcess | undefined, signal: NodeJS.Signals): void {
    if (p === undefined || !p.alive) return;
    if (signal === 'SIGKILL' || (!HARMLESS.has(signal) && !this.ignored.get(p.service)?.has(signal))) p.die(null, signal);
  }
}
