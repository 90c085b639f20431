// The reconciler benchmark (issue 10): deploy to every node of N (real fortros-init trees on the WireGuard mesh of
// test/harness/mesh-cluster.ts, each with its own reconciler), first restart of a crashed workload beside init's
// restart of a service, re-adoption after kill -9 of a reconciler with 100 workloads, and the planner's movement
// when one of 32 members leaves. Usage (from the repo root, after the build, as root):
//   npx tsx bench/reconciler/index.ts [--quick] [--nodes N]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { RECONCILER_MAIN } from '@fortros/lab';
import { Lab } from '@fortros/netlab';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { MeshCluster, meshClusterPrefix } from '../../test/harness/mesh-cluster.js';
import { parseBenchArgs } from '../args.js';
import { machine } from '../maintainer/report.js';
import { ADOPT_WORKLOADS, ADOPT_WORKLOADS_QUICK, DEPLOY_BAR_MS, FIRST_RESTART_BAR_MS, NODES_FULL, NODES_MAX, NODES_QUICK } from './constants.js';
import { deploy, firstRestart, movement, readopt, SLEEPER } from './scenarios.js';

const USAGE = `usage: npx tsx bench/reconciler/index.ts [--quick] [--nodes N]   (N nodes, default ${NODES_FULL}, ${NODES_QUICK} with --quick; root needed)`;

/** `{ quick, nodes }`, or a usage error / help as an exit code. */
function parse(argv: readonly string[]): { quick: boolean; nodes: number } | number {
  const args = parseBenchArgs(argv, USAGE, { counts: { nodes: { min: 2, max: NODES_MAX } } });
  if (args.exit !== undefined) return args.exit;
  return { quick: args.quick, nodes: args.counts.get('nodes') ?? (args.quick ? NODES_QUICK : NODES_FULL) };
}

const ms = (x: number): string => `${Math.round(x)} ms`;
const bar = (x: number, limit: number): string => (x < limit ? `< ${limit} ms ok` : `≥ ${limit} ms: over the bar`);

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'number') return args;
  if (!existsSync(RECONCILER_MAIN)) {
    console.error(`${RECONCILER_MAIN} is missing: build first (NX_DAEMON=false npx nx run-many -t build)`);
    return 1;
  }
  if (process.getuid?.() !== 0) {
    console.error('bench/reconciler needs root (network namespaces, WireGuard interfaces)');
    return 1;
  }
  const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const startedAt = new Date();
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  const sleeper = { [SLEEPER]: { type: 'longrun' as const, run: 'exec sleep 100000' } };
  const cluster = new MeshCluster(await Lab.create({ prefix: meshClusterPrefix('rb') }), sleeper);
  try {
    log(`booting ${args.nodes} nodes (founder + joins with tokens), each with its reconciler`);
    const bootStart = Date.now();
    await cluster.boot(args.nodes, { waitFor: 'reconciler' });
    await cluster.waitConverged(args.nodes, { timeoutMs: 300_000 });
    log(`converged in ${Math.round((Date.now() - bootStart) / 1000)} s; deploying`);
    const d = await deploy(cluster);
    log('first restart');
    const r = await firstRestart(cluster);
    const count = args.quick ? ADOPT_WORKLOADS_QUICK : ADOPT_WORKLOADS;
    log(`re-adoption with ${count} workloads`);
    const a = await readopt(cluster, count);
    const m = movement();

    console.log(`# fortros-reconciler benchmark${args.quick ? ' (--quick)' : ''}`);
    console.log(`machine: ${machine()}`);
    console.log(`date: ${startedAt.toISOString()}, load average at start ${load}, took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`);
    console.log(`real reconcilers: ${d.nodes} (one per node: fortros-init tree in its own network namespace, wireguard-go mesh)`);
    console.log('');
    console.log(`deploy to all ${d.nodes} nodes (put → process started, per node): median ${ms(d.startedMedianMs)}, max ${ms(d.startedMaxMs)} (${bar(d.startedMaxMs, DEPLOY_BAR_MS)})`);
    console.log(`  \`fortctl workload put\` itself, included above (from its spawn to its exit, after the maintainer's ack): ${ms(d.putMs)}`);
    console.log(`  put → every reconciler reporting it running (fortctl polled in parallel): ${ms(d.reportedAllMs)}`);
    console.log(`first restart after kill -9 (kill → new process started): workload ${ms(r.workloadMs)} (${bar(r.workloadMs, FIRST_RESTART_BAR_MS)}), init service ${ms(r.initServiceMs)}`);
    console.log(`re-adoption after kill -9 of the reconciler with ${a.workloads} workloads: ready again ${ms(a.readyMs)}, all listed running ${ms(a.listedMs)}, restarted or lost ${a.restartedOrLost}`);
    console.log(`placement movement (pure planner): ${m.workloads} workloads × ${m.replicas} replicas over ${m.members} members, one leaves: it held ${m.heldByLeaver}, moved ${m.moved} (${((100 * m.moved) / (m.workloads * m.replicas)).toFixed(1)} % of replicas; 1/N = ${(100 / m.members).toFixed(1)} %)`);
    console.log('');
    console.log('- start times are the kernel\'s (/proc/PID/stat, 10 ms ticks) against /proc/uptime read just before the act; a 0 ms');
    console.log('  figure means within the same tick.');
    return 0;
  } finally {
    // a failed cleanup is said, never allowed to hide how the run itself ended
    await cluster.cleanup().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    await cluster.lab.destroy().catch((e: unknown) => log(`lab cleanup: ${String(e)}`));
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench/reconciler failed:', err);
    process.exit(1);
  },
);
