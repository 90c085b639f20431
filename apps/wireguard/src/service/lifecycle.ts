// The mesh interface's lifecycle as data plus one transition function (STYLE §5). Side effects (create, notify,
// remove) are done by the service on entering a state; step() only decides.
import { assertNever } from '@fortros/core';

export const MESH_STATES = ['starting', 'up', 'stopping', 'stopped', 'failed'] as const;
export type MeshState = (typeof MESH_STATES)[number];

export const MESH_EVENTS = ['interface:ready', 'interface:failed', 'backend:exited', 'stop:requested', 'interface:removed'] as const;
export type MeshEvent = (typeof MESH_EVENTS)[number];

export class ImpossibleTransitionError extends Error {
  override name = 'ImpossibleTransitionError';
  constructor(state: MeshState, event: MeshEvent) {
    super(`mesh interface: event ${event} cannot happen in state ${state}`);
  }
}

/** The next state after `event` in `state`; throws ImpossibleTransitionError for a pair that cannot happen. */
export function step(state: MeshState, event: MeshEvent): MeshState {
  switch (state) {
    case 'starting':
      if (event === 'interface:ready') return 'up';
      if (event === 'interface:failed' || event === 'backend:exited') return 'failed';
      if (event === 'stop:requested') return 'stopping';
      break;
    case 'up':
      if (event === 'backend:exited') return 'failed';
      if (event === 'stop:requested') return 'stopping';
      break;
    case 'stopping':
      // the start may finish or fail, and wireguard-go exits once its link is deleted: all part of stopping
      if (event === 'interface:removed') return 'stopped';
      if (event === 'interface:ready' || event === 'interface:failed' || event === 'backend:exited' || event === 'stop:requested') return 'stopping';
      break;
    case 'stopped':
    case 'failed':
      break;
    default:
      return assertNever(state);
  }
  throw new ImpossibleTransitionError(state, event);
}

/** Terminal states and the exit code each means: stopped on request 0; failed 1 (so init restarts the service). */
export function exitCodeOf(state: MeshState): number | undefined {
  return state === 'stopped' ? 0 : state === 'failed' ? 1 : undefined;
}
