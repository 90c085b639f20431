// fortros.init.v1.Init handlers: plain async functions over the Supervisor, the log store and the timeline.
import { checkSignal } from '@fortros/core';
import { InitV1, toTimestamp } from '@fortros/proto';
import { DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, type AsyncHandlers, type CallContext, type StreamContext } from '@fortros/rpc';
import { DEFAULT_LOG_TAIL_LINES, MAX_LOG_TAIL_LINES } from '../constants.js';
import { InvalidSignalError } from '../errors.js';
import type { LogStore } from '../log/index.js';
import type { PowerMode } from '../pid1/power.js';
import { ServiceState } from '../service/lifecycle.js';
import type { ReloadResult, Supervisor } from '../supervisor/supervisor.js';
import type { BootTimeline } from './boot-timeline.js';
import type { EventHub } from './event-hub.js';
import { resolvePid, type PidStartTimes } from './pid-resolver.js';
import { serviceToWire, stateFromWire, stateToWire, typeToWire } from './wire.js';

export interface InitApiComponents {
  supervisor: Supervisor;
  hub: EventHub;
  timeline: BootTimeline;
  logs: LogStore | undefined;
  pidTimes: PidStartTimes;
  /** Begin a shutdown ending in `mode`; returns at once. */
  requestShutdown(mode: PowerMode): void;
  /** Rescan the tree (as SIGHUP); resolves once adopted, with why the bundle still cannot boot, if so. */
  reload(): Promise<ReloadResult & { cannotBoot?: string }>;
}

/** `SIGHUP`, `HUP`, `hup` or `1` → `SIGHUP`, by the one rule of @fortros/core; InvalidSignalError otherwise. */
export function parseSignal(raw: string): NodeJS.Signals {
  const r = checkSignal(raw);
  if (!r.ok) throw new InvalidSignalError(raw);
  return r.value;
}

/** The caller's signal, cut short by `timeoutMs` (0 = none); a timeout surfaces as DEADLINE_EXCEEDED. */
async function withTimeout<T>(ctx: CallContext, timeoutMs: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (!timeoutMs) return fn(ctx.signal);
  const timer = AbortSignal.timeout(timeoutMs);
  try {
    return await fn(AbortSignal.any([ctx.signal, timer]));
  } catch (err) {
    if (timer.aborted && !ctx.signal.aborted) throw new DeadlineExceededError(`${what}: not done after ${timeoutMs} ms`);
    throw err;
  }
}

export function initHandlers(c: InitApiComponents): AsyncHandlers<InitV1.InitHandlers> {
  const { supervisor: sup } = c;
  const depsOf = (): Map<string, string[]> => new Map(sup.edges().map((e) => [e.name, e.deps]));
  const wire = (name: string, deps = depsOf()): InitV1.Service => {
    const s = sup.status(name);
    return serviceToWire(s, { deps: deps.get(name) ?? [], pidStartTime: c.pidTimes.get(s.pid), wanted: s.state !== ServiceState.inactive });
  };
  const failedIfFailed = (name: string): void => {
    const s = sup.status(name);
    if (s.state === ServiceState.failed) throw new FailedPreconditionError(`service "${name}" failed: ${s.reason}`);
  };

  return {
    ListServices: async () => {
      const deps = depsOf();
      return { services: sup.snapshot().map((s) => wire(s.name, deps)) };
    },
    GetService: async (req) => wire(req.name),
    StartService: async (req, ctx) => {
      sup.status(req.name);
      const started = withTimeout(ctx, req.timeoutMs, `start ${req.name}`, (signal) => sup.startService(req.name, { signal }));
      if (!req.wait) {
        started.catch(() => undefined); // the outcome shows in the service's state and the event stream
        return wire(req.name);
      }
      await started.catch((err: Error) => {
        failedIfFailed(req.name);
        throw err;
      });
      return wire(req.name);
    },
    StopService: async (req, ctx) => {
      sup.status(req.name);
      const stopped = withTimeout(ctx, req.timeoutMs, `stop ${req.name}`, (signal) => sup.stopService(req.name, { signal }));
      if (req.wait) await stopped;
      else stopped.catch(() => undefined);
      return wire(req.name);
    },
    RestartService: async (req, ctx) => {
      sup.status(req.name);
      const restarted = withTimeout(ctx, req.timeoutMs, `restart ${req.name}`, (signal) => sup.restartService(req.name, { signal }));
      if (!req.wait) {
        restarted.catch(() => undefined);
        return wire(req.name);
      }
      await restarted.catch((err: Error) => {
        failedIfFailed(req.name);
        throw err;
      });
      return wire(req.name);
    },
    SignalService: async (req, ctx) => {
      await sup.signalService(req.name, parseSignal(req.signal), { signal: ctx.signal });
      return wire(req.name);
    },
    WaitService: async (req, ctx) => {
      const target = stateFromWire(req.state) ?? ServiceState.ready;
      sup.status(req.name);
      return withTimeout(ctx, req.timeoutMs, `wait for ${req.name} to be ${target}`, async (signal) => {
        const events = c.hub.subscribe([req.name], signal);
        const check = (): boolean => {
          const s = sup.status(req.name);
          if (s.state === target) return true;
          if (s.state === ServiceState.failed) throw new FailedPreconditionError(`service "${req.name}" failed: ${s.reason}`);
          return false;
        };
        try {
          if (check()) return wire(req.name);
          for await (const _ of events) if (check()) return wire(req.name);
        } finally {
          await events.return(undefined);
        }
        throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
      });
    },
    WatchEvents: async (req, ctx: StreamContext<InitV1.Event>) => {
      for (const n of req.services) sup.status(n);
      const events = c.hub.subscribe(req.services, ctx.signal);
      if (req.includeCurrent) {
        const wanted = new Set(req.services);
        for (const s of sup.snapshot()) {
          if (wanted.size && !wanted.has(s.name)) continue;
          const st = stateToWire(s.state);
          await ctx.send({ seq: c.hub.lastSeq, at: toTimestamp(Date.parse(s.since)), service: s.name, from: st, to: st, reason: s.reason, pid: s.pid, current: true });
        }
      }
      for await (const ev of events) {
        await ctx.send({ seq: ev.seq, at: toTimestamp(Date.parse(ev.at)), service: ev.name, from: stateToWire(ev.from), to: stateToWire(ev.to), reason: ev.reason, pid: ev.pid });
      }
    },
    ReadLogs: async (req, ctx: StreamContext<InitV1.LogLine>) => {
      sup.status(req.service);
      if (!c.logs) throw new FailedPreconditionError('logs are not stored: init runs with --log stdout');
      const n = req.lines ?? DEFAULT_LOG_TAIL_LINES;
      if (n > MAX_LOG_TAIL_LINES) throw new InvalidArgumentError(`lines: expected at most ${MAX_LOG_TAIL_LINES}, got ${n}`);
      const reader = c.logs.reader(req.service);
      const send = (e: { at: Date; line: string }): Promise<void> => ctx.send({ service: req.service, at: toTimestamp(e.at), line: e.line });
      if (!req.follow) {
        for (const e of await reader.tail(n, { signal: ctx.signal })) await send(e);
        return;
      }
      for await (const e of reader.follow({ signal: ctx.signal, tail: n })) await send(e);
    },
    GetTimeline: async () => {
      const deps = depsOf();
      return {
        bootStartedAt: toTimestamp(c.timeline.startedAt),
        ...(c.timeline.completedAt !== undefined ? { bootCompletedAt: toTimestamp(c.timeline.completedAt) } : {}),
        entries: sup.snapshot().map((s) => {
          const m = c.timeline.mark(s.name);
          return {
            name: s.name,
            type: typeToWire(s.type),
            ...(m.spawnedAt !== undefined ? { spawnedAt: toTimestamp(m.spawnedAt) } : {}),
            ...(m.readyAt !== undefined ? { readyAt: toTimestamp(m.readyAt) } : {}),
            dependencies: deps.get(s.name) ?? [],
            state: stateToWire(s.state),
            since: toTimestamp(Date.parse(s.since)),
            reason: s.reason,
          };
        }),
      };
    },
    GetGraph: async () => {
      const snap = sup.snapshot();
      const types = new Map(snap.map((s) => [s.name, s.type]));
      return {
        nodes: snap.map((s) => ({ name: s.name, type: typeToWire(s.type), state: stateToWire(s.state) })),
        edges: sup.edges().flatMap((e) =>
          e.deps.map((to) => ({ from: e.name, to, kind: types.get(e.name) === 'bundle' ? ('KIND_CONTENTS' as const) : ('KIND_DEPENDENCY' as const) })),
        ),
      };
    },
    ResolvePid: async (req) => {
      if (req.pid <= 0) throw new InvalidArgumentError(`pid: expected a positive process id, got ${req.pid}`);
      const r = await resolvePid(req.pid, sup.snapshot().map((s) => ({ service: s.name, pid: s.pid })), c.pidTimes);
      return r ? { found: true, service: r.service, servicePid: r.servicePid, pidStartTime: r.pidStartTime } : { found: false, service: '', servicePid: 0, pidStartTime: 0 };
    },
    Shutdown: async (req) => {
      const mode: PowerMode = req.mode === 'SHUTDOWN_MODE_REBOOT' ? 'reboot' : req.mode === 'SHUTDOWN_MODE_HALT' ? 'halt' : 'poweroff';
      c.requestShutdown(mode);
      return {};
    },
    Reload: async () => {
      const r = await c.reload();
      return { added: r.added, removed: r.removed, changed: r.changed, failed: r.failed.map((f) => f.name), cannotBoot: r.cannotBoot ?? '' };
    },
  };
}
