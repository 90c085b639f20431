// The mesh interface lifecycle, every (state, event) pair: the next state, or ImpossibleTransitionError.
import { strict as assert } from 'node:assert';
import { exitCodeOf, ImpossibleTransitionError, MESH_EVENTS, MESH_STATES, step, type MeshEvent, type MeshState } from '../src/index.js';

const X = 'impossible';
const TABLE: Record<MeshState, Record<MeshEvent, MeshState | typeof X>> = {
  starting: { 'interface:ready': 'up', 'interface:failed': 'failed', 'backend:exited': 'failed', 'stop:requested': 'stopping', 'interface:removed': X },
  up: { 'interface:ready': X, 'interface:failed': X, 'backend:exited': 'failed', 'stop:requested': 'stopping', 'interface:removed': X },
  stopping: { 'interface:ready': 'stopping', 'interface:failed': 'stopping', 'backend:exited': 'stopping', 'stop:requested': 'stopping', 'interface:removed': 'stopped' },
  stopped: { 'interface:ready': X, 'interface:failed': X, 'backend:exited': X, 'stop:requested': X, 'interface:removed': X },
  failed: { 'interface:ready': X, 'interface:failed': X, 'backend:exited': X, 'stop:requested': X, 'interface:removed': X },
};

describe('mesh interface lifecycle', () => {
  for (const s of MESH_STATES) {
    for (const e of MESH_EVENTS) {
      const want = TABLE[s][e];
      it(`${s} + ${e} → ${want}`, () => {
        if (want === X) assert.throws(() => step(s, e), ImpossibleTransitionError);
        else assert.equal(step(s, e), want);
      });
    }
  }

  it('exits 0 when stopped, 1 when failed, not before', () => {
    assert.deepEqual(MESH_STATES.map(exitCodeOf), [undefined, undefined, undefined, 0, 1]);
  });
});
