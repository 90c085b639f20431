// Test fixture: a fake fortros-init serving init.proto over a real RpcServer, backed by in-test state.
// A fake is right here only because the thing under test is fortctl, the client.
import { toTimestamp, InitV1 } from '@fortros/proto';
import { defineService, DeadlineExceededError, FailedPreconditionError, NotFoundError, RpcServer, type CallContext, type RpcServerOptions, type StreamContext } from '@fortros/rpc';

type Service = InitV1.Service;
type State = InitV1.ServiceState__Output;

export interface FixtureState {
  services: Map<string, Service>;
  logs: Map<string, InitV1.LogLine[]>;
  events: InitV1.Event[];
  timeline: InitV1.Timeline;
  graph: InitV1.Graph;
  /** Every call as (method, request). */
  calls: { method: string; request: Record<string, unknown> }[];
  /** Methods whose handler saw its call cancelled. */
  cancelled: string[];
  /** WatchEvents stays open after the recorded events, as init's does, instead of ending the stream OK. */
  watchHolds?: boolean;
}

export const BOOT_MS = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number) => toTimestamp(BOOT_MS + ms);

function svc(name: string, state: State, extra: Partial<Service> = {}): Service {
  return { name, type: 'SERVICE_TYPE_LONGRUN', state, ready: state === 'SERVICE_STATE_READY', since: at(1000), restarts: 0, ...extra };
}

/** A small node: every state appears once. */
export function sampleState(): FixtureState {
  const services = [
    svc('persist-mount', 'SERVICE_STATE_READY', { type: 'SERVICE_TYPE_ONESHOT' }),
    svc('maintainer', 'SERVICE_STATE_READY', { pid: 101, dependencies: ['persist-mount'] }),
    svc('reconciler', 'SERVICE_STATE_BLOCKED', { waitingOn: ['key-service'], dependencies: ['maintainer', 'key-service'] }),
    svc('key-service', 'SERVICE_STATE_BACKOFF', { restarts: 3, reason: 'exited 1', lastExit: { code: 1, signal: '' }, restartAt: at(5000) }),
    svc('web', 'SERVICE_STATE_STARTING', { pid: 202 }),
    svc('crashy', 'SERVICE_STATE_FAILED', { reason: 'finish said 125', lastExit: { code: -1, signal: 'SIGSEGV' } }),
    svc('old', 'SERVICE_STATE_STOPPING', { pid: 303 }),
    svc('idle', 'SERVICE_STATE_INACTIVE', { since: null }),
    svc('default', 'SERVICE_STATE_BLOCKED', { type: 'SERVICE_TYPE_BUNDLE', contents: ['maintainer', 'reconciler'], waitingOn: ['reconciler'] }),
  ];
  const line = (service: string, ms: number, text: string): InitV1.LogLine => ({ service, at: at(ms), line: text });
  return {
    services: new Map(services.map((s) => [s.name!, s])),
    logs: new Map([['maintainer', [line('maintainer', 100, 'starting'), line('maintainer', 200, 'joined <org> & synced'), line('maintainer', 300, 'api bound')]]]),
    events: [
      { seq: 1, at: at(10), service: 'maintainer', from: 'SERVICE_STATE_BLOCKED', to: 'SERVICE_STATE_STARTING', pid: 101 },
      { seq: 2, at: at(20), service: 'maintainer', from: 'SERVICE_STATE_STARTING', to: 'SERVICE_STATE_READY', pid: 101 },
      { seq: 3, at: at(30), service: 'key-service', from: 'SERVICE_STATE_STARTING', to: 'SERVICE_STATE_BACKOFF', reason: 'exited 1' },
    ],
    timeline: {
      bootStartedAt: at(0),
      entries: [
        { name: 'persist-mount', type: 'SERVICE_TYPE_ONESHOT', spawnedAt: at(5), readyAt: at(40), state: 'SERVICE_STATE_READY' },
        { name: 'maintainer', type: 'SERVICE_TYPE_LONGRUN', spawnedAt: at(40), readyAt: at(900), dependencies: ['persist-mount'], state: 'SERVICE_STATE_READY' },
        { name: 'key-service', type: 'SERVICE_TYPE_LONGRUN', spawnedAt: at(41), state: 'SERVICE_STATE_BACKOFF', dependencies: ['persist-mount'] },
        { name: 'reconciler', type: 'SERVICE_TYPE_LONGRUN', state: 'SERVICE_STATE_BLOCKED', dependencies: ['maintainer', 'key-service'] },
        { name: 'default', type: 'SERVICE_TYPE_BUNDLE', state: 'SERVICE_STATE_BLOCKED' },
      ],
    },
    graph: {
      nodes: services.map((s) => ({ name: s.name, type: s.type, state: s.state })),
      edges: [
        { from: 'maintainer', to: 'persist-mount', kind: 'KIND_DEPENDENCY' },
        { from: 'reconciler', to: 'maintainer', kind: 'KIND_DEPENDENCY' },
        { from: 'reconciler', to: 'key-service', kind: 'KIND_DEPENDENCY' },
        { from: 'default', to: 'maintainer', kind: 'KIND_CONTENTS' },
        { from: 'default', to: 'reconciler', kind: 'KIND_CONTENTS' },
      ],
    },
    calls: [],
    cancelled: [],
  };
}

const silentLogger: RpcServerOptions['logger'] = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

/** Resolves when the call is cancelled (recording it), for handlers that hold a call open. */
function untilCancelled(state: FixtureState, method: string, ctx: CallContext): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      state.cancelled.push(method);
      resolve();
    };
    if (ctx.signal.aborted) done();
    else ctx.signal.addEventListener('abort', done, { once: true });
  });
}

export function fixtureInitServer(socketPath: string, state: FixtureState = sampleState()): { server: RpcServer; state: FixtureState } {
  const get = (name: string): Service => {
    const s = state.services.get(name);
    if (!s) throw new NotFoundError(`no service named "${name}"`);
    return s;
  };
  const record = <Q extends object>(method: string, request: Q): Q => {
    state.calls.push({ method, request: request as Record<string, unknown> });
    return request;
  };
  const action = (method: string, target: State) => async (req: { name: string; wait: boolean; timeoutMs: number }) => {
    const s = get(record(method, req).name);
    // `crashy` never comes up: a waited start reports it failed.
    if (s.name === 'crashy') return s;
    s.state = req.wait || target === 'SERVICE_STATE_INACTIVE' ? target : 'SERVICE_STATE_STARTING';
    return s;
  };
  const handlers = {
    ListServices: async () => ({ services: [...state.services.values()] }),
    GetService: async (req: { name: string }) => get(record('GetService', req).name),
    StartService: action('StartService', 'SERVICE_STATE_READY'),
    StopService: action('StopService', 'SERVICE_STATE_INACTIVE'),
    RestartService: action('RestartService', 'SERVICE_STATE_READY'),
    SignalService: async (req: { name: string; signal: string }) => {
      const s = get(record('SignalService', req).name);
      if (!s.pid) throw new FailedPreconditionError(`${s.name} has no process`);
      return s;
    },
    WaitService: async (req: { name: string; state: State; timeoutMs: number }, ctx: CallContext) => {
      const s = get(record('WaitService', req).name);
      if (s.state === req.state) return s;
      if (s.state === 'SERVICE_STATE_FAILED') throw new FailedPreconditionError(`${s.name} failed: ${s.reason}`);
      // Nothing changes in the fixture: hold until init's own timeout, as init would.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, req.timeoutMs || 60_000);
        ctx.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      throw new DeadlineExceededError(`${s.name} not ${req.state} after ${req.timeoutMs}ms`);
    },
    WatchEvents: async (req: { services: string[]; includeCurrent: boolean }, ctx: StreamContext<InitV1.Event>) => {
      record('WatchEvents', req);
      const wanted = (name: string): boolean => req.services.length === 0 || req.services.includes(name);
      let seq = 0;
      if (req.includeCurrent) {
        for (const s of state.services.values()) if (wanted(s.name!)) await ctx.send({ seq: ++seq, at: s.since, service: s.name, from: s.state, to: s.state, pid: s.pid });
      }
      for (const e of state.events) if (wanted(e.service!)) await ctx.send(e);
      if (state.watchHolds) await untilCancelled(state, 'WatchEvents', ctx);
    },
    ReadLogs: async (req: { service: string; lines?: number; follow: boolean }, ctx: StreamContext<InitV1.LogLine>) => {
      get(record('ReadLogs', req).service);
      for (const l of (state.logs.get(req.service) ?? []).slice(-(req.lines ?? 0))) await ctx.send(l);
      if (req.follow) await untilCancelled(state, 'ReadLogs', ctx);
    },
    GetTimeline: async () => state.timeline,
    GetGraph: async () => state.graph,
    ResolvePid: async () => ({ found: false }),
    Shutdown: async (req: { mode: string }) => (record('Shutdown', req), {}),
    Reload: async () => (record('Reload', {}), { added: ['new'], removed: [], changed: ['web'], failed: ['bad'], cannotBoot: '' }),
  };
  const server = new RpcServer({ socketPath, logger: silentLogger, services: [defineService(InitV1.loadInitApi(), handlers)] });
  return { server, state };
}
