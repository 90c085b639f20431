// One simulator row (virtual time, the real SWIM core): join, idle and lossy windows, a crash; and SWIM bytes at any N.
import { Simulator } from '@fortros/swim';
import { LOSS_LEVELS, SIM_CONVERGE_LIMIT_MS, SIM_DETECT_LIMIT_MS, SIM_SEED } from './constants.js';
import { median, type Row } from './report.js';

/** A converged simulated cluster of `size` nodes (all started at once through node 0), and how long it took. */
function joined(size: number): { sim: Simulator; joinMs: number | undefined; pps: number; bps: number } {
  const sim = new Simulator({ seed: SIM_SEED, nodes: size });
  sim.resetTraffic();
  sim.startAll(0, 0);
  const joinMs = sim.runUntilConverged(SIM_CONVERGE_LIMIT_MS);
  return { sim, joinMs, pps: sim.packetsPerNodePerSecond(), bps: sim.bytesPerNodePerSecond() };
}

/** Mean SWIM bytes sent per node per second over `windowMs` of idle virtual time after the join. */
export function simBytesPerNode(size: number, windowMs: number): number | undefined {
  const { sim, joinMs } = joined(size);
  if (joinMs === undefined) return undefined;
  sim.resetTraffic();
  sim.runFor(windowMs);
  return sim.bytesPerNodePerSecond();
}

export function simRun(size: number, windowMs: number, log: (line: string) => void): Row {
  const row: Row = { n: size, kind: 'sim', notes: [], loss: [] };
  const started = performance.now();
  const { sim, joinMs, pps, bps } = joined(size);
  row.joinReadyMs = joinMs;
  row.simJoin = { pps, bps };
  if (joinMs === undefined) {
    row.notes.push(`no convergence within ${SIM_CONVERGE_LIMIT_MS} virtual ms`);
    return row;
  }
  log(`sim N=${size}: converged after ${Math.round(joinMs)} virtual ms (${Math.round(performance.now() - started)} ms wall), ${pps.toFixed(1)} msgs and ${Math.round(bps)} bytes per node per s`);

  const victim = size - 1;
  sim.crash(victim);
  const running = size - 1;
  if (!sim.runUntil(() => sim.metrics.detectionTimes(victim).size >= running, SIM_DETECT_LIMIT_MS)) row.notes.push(`crash not detected everywhere within ${SIM_DETECT_LIMIT_MS} virtual ms`);
  const times = [...sim.metrics.detectionTimes(victim).values()];
  if (times.length) row.detect = { median: median(times), max: Math.max(...times), count: times.length };
  sim.restart(victim, [0]);
  if (sim.runUntilConverged(SIM_CONVERGE_LIMIT_MS) === undefined) row.notes.push(`not reconverged after restarting node ${victim}`);

  for (const p of LOSS_LEVELS) {
    sim.setLoss(p);
    const suspicions = sim.metrics.falseSuspicions.length;
    const deaths = sim.metrics.falseDeaths.length;
    if (p === 0) sim.resetTraffic();
    sim.runFor(windowMs);
    if (p === 0) {
      row.simBps = sim.bytesPerNodePerSecond();
      row.simPps = sim.packetsPerNodePerSecond();
    }
    row.loss!.push({ suspicions: sim.metrics.falseSuspicions.length - suspicions, deaths: sim.metrics.falseDeaths.length - deaths });
    sim.setLoss(0);
    if (sim.runUntilConverged(SIM_CONVERGE_LIMIT_MS) === undefined) row.notes.push(`not reconverged after ${p * 100}% loss`);
    log(`sim N=${size}: ${p * 100}% loss for ${windowMs / 1000} virtual s: ${JSON.stringify(row.loss!.at(-1))}`);
  }

  log(`sim N=${size}: done in ${Math.round(performance.now() - started)} ms wall`);
  return row;
}
