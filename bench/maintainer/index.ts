// The maintainer benchmark (issues 5 and 8): join convergence, write propagation, failure detection, false alarms under
// loss and bytes per node, for N = 8, 16, 32 real fortros-maintainer processes on loopback, N = 128, 512 in the SWIM
// simulator, and N (32) fortros-init nodes in network namespaces on real WireGuard (the mesh rows, beside DESIGN §10's bars).
// Usage (from the repo root, after the build; the mesh rows as root): npx tsx bench/maintainer/index.ts [--quick] [--mesh-nodes N]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { INIT_MAIN } from '../../test/harness/init.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { meshSkipReason } from '../../test/harness/mesh.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { WIREGUARD_MAIN } from '../../test/harness/mesh-cluster.js';
import { parseArgs } from './args.js';
import {
  LOSS_WINDOW_MS,
  LOSS_WINDOW_QUICK_MS,
  MESH_LOSS_WINDOW_MS,
  MESH_LOSS_WINDOW_QUICK_MS,
  MESH_PARTITION_MS,
  MESH_QUIET_WINDOW_MS,
  MESH_QUIET_WINDOW_QUICK_MS,
  MESH_WRITES,
  MESH_WRITES_QUICK,
  NETNS_PORT,
  REAL_SIZES,
  REAL_SIZES_QUICK,
  SIM_LOSS_WINDOW_MS,
  SIM_SIZES,
  SIM_SIZES_QUICK,
  WRITES,
  WRITES_QUICK,
} from './constants.js';
import { meshRun, type MeshFigures } from './mesh-run.js';
import { renderMesh } from './mesh-report.js';
import { NetNamespace } from './netns.js';
import { killEverythingSync, MAINTAINER_MAIN } from './real-cluster.js';
import { realRun } from './real-run.js';
import { machine, renderSimTraffic, renderTable, type Row } from './report.js';
import { simBytesPerNode, simRun } from './sim-run.js';

/** The first line of an error's message (a failed row is one line of the report; the log has the rest). */
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.exit !== undefined) return args.exit;
  for (const built of [MAINTAINER_MAIN, ...(args.meshNodes > 0 ? [INIT_MAIN, WIREGUARD_MAIN] : [])]) {
    if (!existsSync(built)) {
      console.error(`${built} is missing: build first (NX_DAEMON=false npx nx run-many -t build)`);
      return 1;
    }
  }
  const { quick } = args;
  const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const startedAt = new Date();
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  const meshWhyNot = args.meshNodes === 0 ? 'left out (--mesh-nodes 0)' : meshSkipReason();

  let netns: NetNamespace | undefined;
  if (args.meshOnly) {
    // no loopback rows: no namespace of their own
  } else if (await NetNamespace.available()) {
    netns = new NetNamespace(`fortros-bench-${process.pid}`, NETNS_PORT);
    process.on('exit', () => netns?.deleteSync());
    await netns.create();
    log(`network namespace ${netns.name}: nodes on 127.0.1.x:${NETNS_PORT}, loss and byte counters by nftables`);
  } else {
    log('no network namespace (needs root, ip and nft): real-process loss rows and byte counters are n/a');
  }

  const rows: Row[] = [];
  let mesh: MeshFigures | undefined;
  const failures: string[] = [];
  const fail = (what: string, err: unknown): void => {
    failures.push(`${what}: ${firstLine(err)}`);
    log(`${what} failed: ${err instanceof Error ? err.stack : String(err)}`);
  };
  try {
    for (const n of args.meshOnly ? [] : quick ? REAL_SIZES_QUICK : REAL_SIZES) {
      log(`real N=${n}: starting`);
      const hostPrefix = netns ? '127.0.1' : `127.0.${2 + (process.pid % 240)}`;
      const port = netns ? NETNS_PORT : 20_000 + Math.floor(Math.random() * 40_000);
      try {
        const row = await realRun({ size: n, writes: quick ? WRITES_QUICK : WRITES, lossWindowMs: quick ? LOSS_WINDOW_QUICK_MS : LOSS_WINDOW_MS, netns, hostPrefix, port, log });
        row.simBps = simBytesPerNode(n, SIM_LOSS_WINDOW_MS);
        rows.push(row);
      } catch (err) {
        // one failed row (its cluster already removed) is said in the table; the other rows still run
        fail(`real N=${n}`, err);
        rows.push({ n, kind: 'real', notes: [`failed: ${firstLine(err)}`] });
      }
    }
    for (const n of args.meshOnly ? [] : quick ? SIM_SIZES_QUICK : SIM_SIZES) {
      log(`sim N=${n}: starting`);
      rows.push(simRun(n, SIM_LOSS_WINDOW_MS, log));
    }
    if (meshWhyNot === undefined) {
      const meshOptions = {
        nodes: args.meshNodes,
        writes: quick ? MESH_WRITES_QUICK : MESH_WRITES,
        quietWindowMs: quick ? MESH_QUIET_WINDOW_QUICK_MS : MESH_QUIET_WINDOW_MS,
        lossWindowMs: quick ? MESH_LOSS_WINDOW_QUICK_MS : MESH_LOSS_WINDOW_MS,
        partitionMs: MESH_PARTITION_MS,
        log,
      };
      mesh = await meshRun(meshOptions).catch((err: unknown) => void fail(`mesh N=${args.meshNodes}`, err));
      if (mesh?.failed) failures.push(`mesh N=${args.meshNodes}: ${mesh.failed}`);
    }
  } finally {
    killEverythingSync();
    netns?.deleteSync();
  }

  const realWindow = (quick ? LOSS_WINDOW_QUICK_MS : LOSS_WINDOW_MS) / 1000;
  console.log(`# fortros-maintainer benchmark${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${startedAt.toISOString()}, load average at start ${load} (took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s)`);
  console.log('');
  if (rows.length) for (const line of renderTable(rows)) console.log(line);
  else console.log('loopback and simulator rows: left out (--mesh-only)');
  console.log('');
  if (rows.length) {
    console.log('- join: the seed starts, then every other node is spawned at once and joins through it; converged = every node\'s');
    console.log('  WatchMembers shows every node alive. spawn→conv includes starting N Node.js processes on this machine;');
    console.log('  ready→conv is from the last node\'s readiness. Simulator: virtual time from startAll until converged.');
    console.log(`- write: PutWorkload on node k mod N (${quick ? WRITES_QUICK : WRITES} writes, one at a time), until every node's WatchWorkloads reported it.`);
    console.log('- kill -9 → dead: right after the join, per observer until its WatchMembers said DEAD (sim: its core declared it');
    console.log('  dead); median / max over the N-1 observers. The node is then restarted and the cluster reconverges.');
    console.log(`- susp / deaths: SUSPECT / DEAD events about running nodes, summed over observers, in ${realWindow} s (real) or`);
    console.log(`  ${SIM_LOSS_WINDOW_MS / 1000} virtual s (sim) at each loss rate. Real loss: nftables drops that share of UDP gossip packets`);
    console.log('  in the bench\'s network namespace (the maintainer\'s fault hook only drops whole peers, not a random share).');
    console.log('- KB/s/node: real = nftables byte counters (IP packets, headers included) over the idle 0% window / N; GetNode');
    console.log(`  stats count packets, not bytes. SWIM (sim) = gossip payload bytes in the simulator at the same N (seed fixed).`);
  }
  for (const line of renderSimTraffic(rows)) console.log(line);
  for (const r of rows) for (const note of r.notes) console.log(`- note N=${r.n} ${r.kind}: ${note}`);
  console.log('');
  if (mesh) for (const line of renderMesh(mesh)) console.log(line);
  else console.log(`mesh rows (N=${args.meshNodes} on real WireGuard): n/a, ${meshWhyNot ?? 'failed'}`);
  for (const f of failures) console.log(`FAILED ${f}`);
  return failures.length ? 1 : 0;
}

process.on('exit', killEverythingSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench/maintainer failed:', err);
    process.exit(1);
  },
);
