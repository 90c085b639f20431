// 512 simulated nodes started at once through one seed converge within 5 s of virtual time (DESIGN §10's simulator bar).
import assert from 'node:assert/strict';
import { Simulator } from '../src/index.js';

const N = 512;
const SEEDS = [1, 2, 3];
/** DESIGN §10: the simulator's 512 nodes converge in under 5 s of virtual time. */
const CONVERGE_BAR_MS = 5_000;
/** Generous real-time bound per run (the machine is shared; this is a timeout, not a speed claim). */
const WALL_TIMEOUT_MS = 600_000;

describe(`simulator: ${N} nodes converge within ${CONVERGE_BAR_MS / 1000} s of virtual time`, function () {
  this.timeout(WALL_TIMEOUT_MS);

  for (const seed of SEEDS) {
    it(`seed ${seed}: all ${N} started at once through node 0, every view complete and alive, no false suspicion`, () => {
      const sim = new Simulator({ seed, nodes: N });
      sim.startAll(0, 0);
      const ms = sim.runUntilConverged(CONVERGE_BAR_MS);
      assert.ok(ms !== undefined, `not converged within ${CONVERGE_BAR_MS} virtual ms`);
      assert.deepEqual(sim.metrics.falseDeaths, [], 'no live node declared dead');
      assert.deepEqual(sim.metrics.falseSuspicions, [], 'no live node suspected');
      for (let i = 0; i < N; i++) {
        const node = sim.node(i)!;
        assert.equal(node.liveCount, N, `node ${i} sees every member`);
        assert.ok(node.pendingBroadcasts <= N, `node ${i}: piggyback queue bounded by the membership`);
      }
    });
  }

});
