import assert from 'node:assert/strict';
import { Simulator } from '../src/index.js';

const N = 128;
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Every running node sees node `subject` in `state`. */
const allSee = (sim: Simulator, subject: number, state: string): boolean => {
  for (let i = 0; i < sim.size; i++) if (i !== subject && sim.running(i) && sim.metrics.viewOf(i, subject) !== state) return false;
  return true;
};

describe(`simulator: ${N} nodes, ${SEEDS.length} seeds`, function () {
  this.timeout(120_000);

  for (const seed of SEEDS) {
    it(`seed ${seed}: join through one seed, 10% loss without false deaths, crash detected everywhere, restart alive again`, () => {
      const sim = new Simulator({ seed, nodes: N });
      sim.startAll(0, 2_000);
      const joined = sim.runUntilConverged(20_000);
      assert.ok(joined !== undefined, 'converged after join');

      sim.setLoss(0.1);
      sim.runFor(10_000);
      assert.deepEqual(sim.metrics.falseDeaths, [], 'no live node declared dead at 10% loss');

      const victim = 1 + (seed % (N - 1));
      sim.crash(victim);
      const t0 = sim.now;
      assert.ok(sim.runUntil(() => sim.metrics.detectionTimes(victim).size === N - 1, 20_000), 'every node declared the crashed node dead');
      const times = [...sim.metrics.detectionTimes(victim).values()];
      assert.ok(median(times) < 8_000 && Math.max(...times) < 12_000, `detection median ${median(times)} max ${Math.max(...times)}`);

      sim.setLoss(0);
      sim.runFor(5_000 - (sim.now - t0) > 0 ? 5_000 - (sim.now - t0) : 0);
      sim.restart(victim, [0]);
      assert.ok(sim.runUntil(() => allSee(sim, victim, 'alive'), 10_000), 'restarted node alive everywhere');
      assert.ok(sim.node(victim)!.incarnation > 0);
      assert.ok(sim.runUntilConverged(10_000) !== undefined);
      assert.deepEqual(sim.metrics.falseDeaths, []);
    });
  }

  for (const seed of SEEDS.slice(0, 3)) {
    it(`seed ${seed}: a 30 s partition into halves is detected, then heals and converges`, () => {
      const sim = new Simulator({ seed, nodes: N });
      sim.startAll(0, 1_000);
      assert.ok(sim.runUntilConverged(20_000) !== undefined);
      const left = Array.from({ length: N / 2 }, (_, i) => i);
      sim.partition([left]);
      sim.runFor(30_000);
      const deadAcross = (from: number, others: number[]): number => others.filter((j) => sim.metrics.viewOf(from, j) === 'dead').length;
      const right = Array.from({ length: N / 2 }, (_, i) => N / 2 + i);
      assert.ok(deadAcross(0, right) >= N / 4 && deadAcross(N - 1, left) >= N / 4, 'each side declared most of the other dead');
      assert.deepEqual(sim.metrics.falseDeaths, [], 'no one declared dead within its own side');
      sim.heal();
      const healed = sim.runUntilConverged(30_000);
      assert.ok(healed !== undefined, 'converged after heal');
    });
  }

  it('a paused node resumes with its timers and is alive again everywhere', () => {
    const sim = new Simulator({ seed: 42, nodes: 64 });
    sim.startAll(0, 500);
    assert.ok(sim.runUntilConverged(20_000) !== undefined);
    sim.pause(5, 3_000);
    sim.runFor(3_000);
    assert.ok(sim.runUntilConverged(20_000) !== undefined, 'converged after the pause');
  });

  it('is deterministic: the same seed gives the same run', () => {
    const run = (): string => {
      const sim = new Simulator({ seed: 5, nodes: 32, loss: 0.05 });
      sim.startAll(0, 500);
      sim.runFor(5_000);
      return `${sim.steps}:${sim.node(3)!.stats.bytesOut}:${sim.metrics.falseSuspicions.length}`;
    };
    assert.equal(run(), run());
  });
});
