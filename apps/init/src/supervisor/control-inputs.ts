// Control inputs: the requests queued for the event loop, and how the loop applies each to the now-current state.
import type { Logger } from '@fortros/log';
import type { CompiledTree } from '@fortros/servicedir';
import { ServiceNotRunningError, UnknownServiceError } from '../errors.js';
import type { Spawner } from '../process/spawner.js';
import { EventType, ServiceState, type ServiceEvent } from '../service/lifecycle.js';
import type { ServiceRecord } from '../service/service-record.js';
import type { ServiceStatus } from '../service/service-status.js';
import { GoalEventType, type Goal } from './goal.js';
import type { Rescanner } from './rescanner.js';
import type { ScriptFingerprints } from './script-fingerprints.js';
import type { ServiceGraph } from './service-graph.js';
import type { ReloadResult } from './tree-diff.js';

/** A control request, queued for the event loop. */
export type Control =
  | { type: 'start'; names: string[]; retry: string[] }
  | { type: 'stop'; names: string[] }
  | { type: 'restart'; members: string[] }
  | { type: 'signal'; name: string; signal: NodeJS.Signals; done: (err?: Error) => void }
  | { type: 'shutdown'; hurry: boolean }
  | { type: 'logStatus' }
  | { type: 'reload'; tree: CompiledTree; scripts: ScriptFingerprints; done: (result: ReloadResult) => void };

/** What applying a control input touches. */
export interface ControlTargets {
  graph: ServiceGraph;
  goal: Goal;
  spawner: Pick<Spawner, 'kill'>;
  log: Logger;
  rescanner: Pick<Rescanner, 'apply'>;
  /** Steps one service (the supervisor's `apply`). */
  step(r: ServiceRecord, event: ServiceEvent): boolean;
  /** The status of every service, in start order. */
  snapshot(): ServiceStatus[];
}

export function applyControl(c: Control, t: ControlTargets): void {
  switch (c.type) {
    case 'start': // names a rescan dropped meanwhile are not wanted (their waiter fails: unknown service)
      return t.goal.feed({ type: GoalEventType.start, names: c.names.filter((n) => t.graph.records.has(n)), retry: c.retry });
    case 'stop':
      return t.goal.feed({ type: GoalEventType.stop, names: c.names });
    case 'restart': {
      const members = c.members.map((name) => ({ name, state: t.graph.records.get(name)?.state ?? ServiceState.inactive }));
      return t.goal.feed({ type: GoalEventType.restart, members });
    }
    case 'signal': {
      const r = t.graph.records.get(c.name);
      if (r === undefined) return c.done(new UnknownServiceError(c.name));
      if (r.mem.pid === 0) return c.done(new ServiceNotRunningError(c.name));
      t.spawner.kill(r.mem.pid, c.signal);
      t.log.info('signal sent', { service: c.name, signal: c.signal, pid: r.mem.pid });
      return c.done();
    }
    case 'shutdown':
      t.log.info(c.hurry ? 'shutdown hurried' : 'shutdown', {});
      t.goal.feed({ type: GoalEventType.shutdown, hurry: c.hurry });
      if (c.hurry) for (const r of t.graph.records.values()) if (r.def) t.step(r, { type: EventType.hurry });
      return;
    case 'logStatus':
      for (const s of t.snapshot()) t.log.info('status', { ...s, service: s.name });
      t.log.info('status done', { services: t.graph.order.length });
      return;
    case 'reload':
      return c.done(t.rescanner.apply(c.tree, c.scripts));
  }
}
