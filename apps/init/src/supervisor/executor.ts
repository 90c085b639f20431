// The action verbs: spawn, run scripts, signal, kill, arm and cancel timers. They carry out what `step` decided,
// report what happened as inputs (and tell a current input from a stale one), and never decide state themselves.
import type { Logger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import type { Clock } from '../clock.js';
import { NOTIFY_EOF_GRACE_MS } from '../constants.js';
import { SpawnError } from '../errors.js';
import { readPipe } from '../output/pipe-reader.js';
import type { OutputFactory, OutputSink } from '../output/output-sink.js';
import type { SpawnedProcess, Spawner, SpawnRequest } from '../process/spawner.js';
import { ActionType, assertNever, EventType, ProcKind, TimerKind, type Action, type ServiceEvent } from '../service/lifecycle.js';
import type { ServiceRecord } from '../service/service-record.js';
import type { Pipelines } from './pipelines.js';
import { finishRequest, oneshotRequest, runRequest, servicePath } from './script-commands.js';

export interface ExecutorComponents {
  clock: Clock;
  spawner: Spawner;
  logger: Logger;
  output: OutputFactory;
  /** Base environment of every service (init's own); `env/` files are merged over it. */
  env: NodeJS.ProcessEnv;
  /** Log pipeline pipes: stdin of consumers, stdout of producers (their `run` and `finish`). */
  pipelines: Pipelines;
  /** The working directory of a longrun's `run` and `finish` (default: its source directory). */
  workDir?(def: ServiceDefinition): string;
}

/** What the verbs report back, to be queued for the event loop. */
export type ExecutorInput =
  | { kind: 'process'; name: string; proc: ProcKind; id: number; event: ServiceEvent }
  | { kind: 'timer'; name: string; timer: TimerKind; token: number };

const TIMER_EVENT: Record<TimerKind, EventType> = {
  [TimerKind.up]: EventType.readyTimeout,
  [TimerKind.kill]: EventType.stopTimeout,
  [TimerKind.down]: EventType.downTimeout,
  [TimerKind.finish]: EventType.finishTimeout,
  [TimerKind.restart]: EventType.backoffElapsed,
};

export class Executor {
  private seq = 0;
  private readonly sinks = new Map<string, OutputSink>();

  constructor(
    private readonly c: ExecutorComponents,
    private readonly post: (input: ExecutorInput) => void,
  ) {}

  /** Carry out `actions` for `r`; returns events to apply at once (spawn results), in order. */
  execute(r: ServiceRecord, actions: readonly Action[], now: number): ServiceEvent[] {
    const feedback: ServiceEvent[] = [];
    for (const a of actions) {
      try {
        const e = this.one(r, a, now);
        if (e) feedback.push(e);
      } catch (err) {
        this.c.logger.error('action failed', { service: r.name, action: a.type, err });
      }
    }
    return feedback;
  }

  /**
   * The event `input` brings for `r` (its process or timer forgotten once over), or undefined when it is stale:
   * from a cancelled or re-armed timer, or from a process of an earlier run.
   */
  eventOf(r: ServiceRecord, input: ExecutorInput): ServiceEvent | undefined {
    if (input.kind === 'timer') {
      if (r.timers.get(input.timer)?.token !== input.token) return undefined; // cancelled or re-armed
      r.timers.delete(input.timer);
      return { type: TIMER_EVENT[input.timer] } as ServiceEvent;
    }
    if (r.procs.get(input.proc) !== input.id) return undefined; // from a process of an earlier run
    const t = input.event.type;
    if (t === EventType.exited || t === EventType.finishExited || t === EventType.upSucceeded || t === EventType.upFailed || t === EventType.downDone) {
      r.procs.delete(input.proc);
    }
    return input.event;
  }

  /** Cancel every timer of a record (the supervisor is going away). */
  cancelTimers(r: ServiceRecord): void {
    for (const t of r.timers.values()) t.handle.cancel();
    r.timers.clear();
  }

  closeOutputs(): void {
    for (const s of this.sinks.values()) s.close();
  }

  /** A service left the tree (rescan): close its output sink. */
  forget(name: string): void {
    this.sinks.get(name)?.close();
    this.sinks.delete(name);
  }

  private one(r: ServiceRecord, a: Action, now: number): ServiceEvent | undefined {
    const def = r.def!;
    switch (a.type) {
      case ActionType.spawn:
        return this.spawn(r, ProcKind.run, () => ({ ...runRequest(def), notificationFd: def.notificationFd }));
      case ActionType.runFinish:
        return this.spawn(r, ProcKind.finish, () => finishRequest(def, a.args));
      case ActionType.runUp:
      case ActionType.runDown: {
        const proc = a.type === ActionType.runUp ? ProcKind.up : ProcKind.down;
        const cmd = proc === ProcKind.up ? def.up! : def.down!;
        return this.spawn(r, proc, () => oneshotRequest(def, cmd, servicePath(def, this.c.env)));
      }
      case ActionType.signal:
        this.c.spawner.kill(a.pid, a.signal);
        return undefined;
      case ActionType.killGroup:
        this.c.spawner.killGroup(a.pgid, a.signal);
        return undefined;
      case ActionType.armTimer:
        this.arm(r, a.timer, a.ms);
        return undefined;
      case ActionType.scheduleRestart:
        this.arm(r, TimerKind.restart, a.at - now);
        return undefined;
      case ActionType.cancelTimer:
        r.timers.get(a.timer)?.handle.cancel();
        r.timers.delete(a.timer);
        return undefined;
      default:
        return assertNever(a);
    }
  }

  private arm(r: ServiceRecord, timer: TimerKind, ms: number): void {
    r.timers.get(timer)?.handle.cancel();
    const token = ++this.seq;
    const handle = this.c.clock.setTimer(ms, () => this.post({ kind: 'timer', name: r.name, timer, token }));
    r.timers.set(timer, { token, handle });
  }

  /** The environment of the service's processes: init's own with `env/` merged over it (empty files unset). */
  envOf(r: ServiceRecord): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.c.env, ...r.def!.env };
    for (const k of r.def!.envUnset ?? []) delete env[k];
    return env;
  }

  /** `request` builds the argv (it may throw SpawnError: a helper program is missing). */
  private spawn(r: ServiceRecord, proc: ProcKind, request: () => Pick<SpawnRequest, 'file' | 'args' | 'notificationFd'>): ServiceEvent {
    const def = r.def!;
    const env = this.envOf(r);
    let child: SpawnedProcess;
    let req: Pick<SpawnRequest, 'file' | 'args' | 'notificationFd'> | undefined;
    try {
      req = request();
      const fds = proc === ProcKind.run || proc === ProcKind.finish ? this.c.pipelines.fdsFor(def) : {}; // longruns only
      const longrun = proc === ProcKind.run || proc === ProcKind.finish;
      child = this.c.spawner.spawn({ ...req, ...fds, cwd: longrun && this.c.workDir ? this.c.workDir(def) : def.dir, env });
    } catch (err) {
      const message = err instanceof SpawnError ? err.message : String(err);
      this.c.logger.warn('spawn failed', { service: r.name, proc, file: req?.file, err: message });
      return { type: EventType.spawnFailed, proc, message };
    }
    const id = ++this.seq;
    r.procs.set(proc, id);
    const post = (event: ServiceEvent): void => this.post({ kind: 'process', name: r.name, proc, id, event });
    const sink = this.sinkOf(r.name);
    if (child.stdout) readPipe(child.stdout, 'stdout', sink, this.c.clock, this.c.output.pipeOptions);
    readPipe(child.stderr, 'stderr', sink, this.c.clock, this.c.output.pipeOptions);
    if (child.notification) this.watchNotification(child, post);
    child.onExit((code, signal) => {
      const exit = { code, signal };
      switch (proc) {
        case ProcKind.run:
          return post({ type: EventType.exited, exit });
        case ProcKind.finish:
          return post({ type: EventType.finishExited, exit });
        case ProcKind.up:
          return post(code === 0 ? { type: EventType.upSucceeded } : { type: EventType.upFailed, exit });
        case ProcKind.down:
          return post({ type: EventType.downDone, exit });
        default:
          return assertNever(proc);
      }
    });
    this.c.logger.debug('spawned', { service: r.name, proc, pid: child.pid, file: req.file });
    return { type: EventType.spawned, proc, pid: child.pid };
  }

  /** First newline → ready, then our end is closed (as s6 does). EOF first → never ready, unless it just died. */
  private watchNotification(child: SpawnedProcess, post: (e: ServiceEvent) => void): void {
    const pipe = child.notification!;
    let done = false;
    pipe.on('data', (chunk: Buffer) => {
      if (done || !chunk.includes(0x0a)) return;
      done = true;
      post({ type: EventType.readyNotified });
      pipe.destroy();
    });
    const eof = (): void => {
      if (done) return;
      done = true;
      // the process most likely died: let its exit (a crash, restarted) arrive first. If init stalled, the grace
      // timer may run before the exit is delivered; hasExited() also counts a zombie, whose exit is on its way.
      this.c.clock.setTimer(NOTIFY_EOF_GRACE_MS, () => {
        if (!child.hasExited()) post({ type: EventType.notifyEof });
      });
    };
    pipe.once('end', eof);
    pipe.once('close', eof);
    pipe.on('error', eof);
  }

  private sinkOf(name: string): OutputSink {
    let s = this.sinks.get(name);
    if (s === undefined) {
      s = this.c.output.open(name);
      this.sinks.set(name, s);
    }
    return s;
  }
}
