// 512 simulated nodes joining through one seed, all at once or staggered, converge fast in virtual time (DESIGN §10).
import assert from 'node:assert/strict';
import { Simulator } from '../src/index.js';

const N = 512;
/** DESIGN §10: the simulator's 512 nodes converge in under 5 s of virtual time. */
const CONVERGE_BAR_MS = 5_000;
/** Joins spread uniformly over this many virtual ms in the staggered case. */
const STAGGER_SPREAD_MS = 2_000;
/** Bound for the staggered case, counted from the first start (joins end at 2 s; measured 3.6–4.0 s over seeds 1, 4–6). */
const STAGGER_BAR_MS = 8_000;
/** Generous real-time bound per run (the machine is shared; this is a timeout, not a speed claim). */
const WALL_TIMEOUT_MS = 600_000;

const CASES = [
  { seed: 1, spreadMs: 0, barMs: CONVERGE_BAR_MS, how: 'all started at once' },
  { seed: 4, spreadMs: STAGGER_SPREAD_MS, barMs: STAGGER_BAR_MS, how: `started staggered over ${STAGGER_SPREAD_MS / 1000} s` },
];

describe(`simulator: ${N} nodes joining through one seed converge fast in virtual time`, function () {
  this.timeout(WALL_TIMEOUT_MS);

  for (const { seed, spreadMs, barMs, how } of CASES) {
    it(`seed ${seed}: ${how}, converged within ${barMs / 1000} virtual s, every view complete and alive, no false suspicion`, () => {
      const sim = new Simulator({ seed, nodes: N });
      sim.startAll(0, spreadMs);
      const ms = sim.runUntilConverged(barMs);
      assert.ok(ms !== undefined, `not converged within ${barMs} virtual ms`);
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
