// Observed statuses as readers get them (ListObserved): what a node that is not alive last reported is shown as
// unknown, with a reason naming the node and its state, rather than as still running.
import type { ObservedStatus } from '../org/org-records.js';
import type { MemberView } from '../membership/member-view.js';

/** Phases that only a live reporter keeps true: a dead or departed node's are shown `unknown`. */
const LIVE_PHASES: ReadonlySet<string> = new Set(['running', 'pending']);

/** The phase ListObserved gives an entry whose node is not alive (never stored: reconcilers cannot report it). */
export const UNKNOWN_PHASE = 'unknown';

export type ListedObserved = Omit<ObservedStatus, 'phase'> & { phase: ObservedStatus['phase'] | typeof UNKNOWN_PHASE };

/**
 * `status` as of the membership now: unchanged while its node is this one, alive or suspect; otherwise (dead, left,
 * or not a member) a running or pending entry becomes `unknown` with pid null and a reason naming the node, its state
 * and what it last reported. Succeeded and failed are outcomes and stay. Every maintainer applies the same rule to the
 * same replicated entries and its own SWIM view, so all nodes agree once membership has converged.
 */
export function observedAsListed(status: ObservedStatus, members: ReadonlyMap<string, MemberView>, selfId: string): ListedObserved {
  if (status.node === selfId || !LIVE_PHASES.has(status.phase)) return status;
  const member = members.get(status.node);
  if (member !== undefined && (member.state === 'alive' || member.state === 'suspect')) return status;
  const who = member === undefined ? `node ${status.node} is not a member` : `node ${member.name} (${member.id}) is ${member.state}`;
  const last = `${status.phase}${status.pid === null ? '' : ` as pid ${status.pid}`} since ${status.since}`;
  return { ...status, phase: UNKNOWN_PHASE, pid: null, reason: `${who}; it last reported ${last}` };
}
