// bench/init: DESIGN §10's bar for init: boot overhead per dependency hop, a flat parallel boot and restart latency
// of fortros-init, measured side by side with s6, runit and supervisord (Debian packages) in the same run.
// Run (from the repo root, after the build): npx tsx bench/init/index.ts [--quick]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHAIN_SIZES,
  CHAIN_SIZES_QUICK,
  DRAIN_MS,
  FLAT_SIZE,
  FLAT_SIZE_QUICK,
  REPETITIONS,
  REPETITIONS_QUICK,
  RESTART_KILLS,
  RESTART_KILLS_QUICK,
  RESTART_MIN_UP_MS,
  SUPERVISORD_STARTSECS,
  TMPFS_DIR,
} from './constants.js';
import { fortrosInit } from './peers/fortros-init.js';
import type { Peer } from './peers/peer.js';
import { runit } from './peers/runit.js';
import { s6 } from './peers/s6.js';
import { supervisord } from './peers/supervisord.js';
import { cleanupSync, trackDir, untrackDir } from './processes.js';
import { cell, extrasLine, load, machine, memoryLine, renderTable, spread, versions, type PeerResults } from './report.js';
import { bareBoot, bareFlatBoot, chainBoot, flatBoot, nodeStartMs } from './scenarios.js';
import { parseBenchArgs } from '../args.js';

const USAGE = 'usage: npx tsx bench/init/index.ts [--quick]   (--quick: chains of 1 and 8, 8 flat services, 2 repetitions)';
const PEERS: readonly Peer[] = [fortrosInit, s6, runit, supervisord];
const INIT_PACKAGE_JSON = fileURLToPath(new URL('../../apps/init/package.json', import.meta.url));

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const firstLines = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 6).join(' | ');

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv, USAGE);
  if (args.exit !== undefined) return args.exit;
  const { quick } = args;
  const sizes = quick ? CHAIN_SIZES_QUICK : CHAIN_SIZES;
  const flatN = quick ? FLAT_SIZE_QUICK : FLAT_SIZE;
  const reps = quick ? REPETITIONS_QUICK : REPETITIONS;
  const kills = quick ? RESTART_KILLS_QUICK : RESTART_KILLS;
  const vers = await versions(INIT_PACKAGE_JSON);
  const results: PeerResults[] = PEERS.map((peer) => ({
    peer,
    version: vers.get(peer.name) ?? 'not installed',
    missing: peer.missing(),
    chain: new Map(sizes.map((n) => [n, []])),
    flat: [],
    errors: [],
  }));
  for (const r of results) if (r.missing) log(`${r.peer.name}: n/a, ${r.missing}`);
  const bare = new Map<number, number[]>(sizes.map((n) => [n, []]));
  const bareFlatMs: number[] = [];
  const nodeStart: number[] = [];
  const startedAt = new Date();
  const loadBefore = load();
  const base = await mkdtemp(join(existsSync(TMPFS_DIR) ? TMPFS_DIR : tmpdir(), 'fortros-bench-init-'));
  trackDir(base);
  try {
    for (let rep = 0; rep < reps; rep++) {
      const live = results.filter((r) => !r.missing);
      const order = [...live.slice(rep % live.length), ...live.slice(0, rep % live.length)]; // each peer goes first in turn
      nodeStart.push(await nodeStartMs());
      for (const n of sizes) {
        bare.get(n)![rep] = await bareBoot(base, `r${rep}-bare-${n}`, n);
        for (const r of order.filter((x) => !x.peer.noChain)) {
          try {
            const b = await chainBoot(r.peer, base, `r${rep}-${r.peer.name}-chain${n}`, n);
            r.chain.get(n)![rep] = b;
            log(`rep ${rep + 1}/${reps} chain N=${n} ${r.peer.name}: ${b.ms.toFixed(1)} ms${b.retries ? `, ${b.retries} retries` : ''}`);
          } catch (err) {
            r.chain.get(n)![rep] = undefined;
            r.errors.push(`rep ${rep + 1} chain N=${n}: ${firstLines(err)}`);
            log(`rep ${rep + 1}/${reps} chain N=${n} ${r.peer.name}: FAILED ${firstLines(err)}`);
          }
        }
      }
      bareFlatMs.push(await bareFlatBoot(base, `r${rep}-bare-flat`, flatN));
      log(`rep ${rep + 1}/${reps} flat N=${flatN} no supervisor: ${bareFlatMs[rep]!.toFixed(1)} ms`);
      for (const r of order) {
        try {
          const f = await flatBoot(r.peer, base, `r${rep}-${r.peer.name}-flat`, flatN, kills);
          r.flat.push(f);
          log(`rep ${rep + 1}/${reps} flat N=${flatN} ${r.peer.name}: ${f.ms.toFixed(1)} ms; restarts ${f.restartMs.map((x) => x.toFixed(1)).join(' ')} ms; fast crash ${f.fastCrashMs.toFixed(1)} ms`);
        } catch (err) {
          r.errors.push(`rep ${rep + 1} flat: ${firstLines(err)}`);
          log(`rep ${rep + 1}/${reps} flat ${r.peer.name}: FAILED ${firstLines(err)}`);
        }
      }
    }
  } finally {
    await rm(base, { recursive: true, force: true });
    untrackDir(base);
  }

  const maxN = sizes[sizes.length - 1]!;
  console.log(`# init: fortros-init beside s6, runit and supervisord${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${machine()}`);
  console.log(`load average (1/5/15 min): ${loadBefore} before, ${load()} after; working directories under ${base}`);
  console.log(`date: ${startedAt.toISOString()} (took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s); ${reps} repetitions, median (min–max)`);
  console.log('');
  for (const line of renderTable(results, bare, bareFlatMs, sizes, flatN, reps)) console.log(line);
  console.log('');
  console.log(`- chain: s1 ← s2 ← … ← sN; ms from spawning the supervisor to sN's start line (its program's \`date +%s%N\`).`);
  console.log('  per hop = least-squares slope over N, one per repetition; per hop − bare = minus the bare row\'s slope (the');
  console.log('  program alone: sh + date, run in turn by one sh). dep retries = failed dependency waits the supervisor re-ran.');
  console.log(`- flat: ${flatN} independent services, ms to the last start line; the no-supervisor row: one sh starts all ${flatN}`);
  console.log(`  programs at once (\`&\`), the floor under every peer. restart: SIGKILL (by pid) of f1 once up ≥ ${RESTART_MIN_UP_MS} ms,`);
  console.log(`  ms to its replacement's start line (${kills} per flat boot); fast crash: the replacement killed right after its start line.`);
  console.log('  CPU ms / service: the CPU time the supervision tree (as for PSS) had used when every service had started');
  console.log('  (/proc/PID/task/*/schedstat, read right after), over the services: on a busy machine, the figure to compare.');
  console.log(`- PSS: /proc/PID/smaps_rollup summed over the supervisor and its descendants other than the services' programs`);
  console.log(`  (sh, date, sleep), measured in each flat boot after the kills, all ${flatN} services running. A page shared with other`);
  console.log('  processes counts a share: the Node binary is shared with every other node process on the machine.');
  console.log(`- supervisord: startsecs=${SUPERVISORD_STARTSECS} (RUNNING once spawned); it has no dependencies and no readiness, so no chain.`);
  for (const r of results) {
    if (r.missing) continue;
    const chainMax = (r.chain.get(maxN) ?? []).filter((x) => x !== undefined);
    const notes: string[] = [];
    if (!r.peer.noChain && chainMax.length && extrasLine(chainMax)) notes.push(`chain N=${maxN}: ${extrasLine(chainMax)}`);
    if (r.flat.length && extrasLine(r.flat)) notes.push(`flat: ${extrasLine(r.flat)}`);
    if ([...r.chain.values()].flat().some((b) => b?.retries)) {
      const clean = sizes.map((n) => {
        const ok = (r.chain.get(n) ?? []).filter((b) => b !== undefined && b.retries === 0).map((b) => b!.ms);
        return `N=${n} ${cell(spread(ok))} (${ok.length} of ${reps})`;
      });
      notes.push(`chain ms of the boots without a retry: ${clean.join(', ')}`);
    }
    const all = [...[...r.chain.values()].flat(), ...r.flat].filter((x) => x !== undefined);
    notes.push(`stop ms ${cell(spread(all.map((b) => b.stopMs)))}`);
    const forced = all.filter((b) => b.forced).length;
    const leftovers = all.reduce((a, b) => a + b.leftovers, 0);
    if (forced || leftovers) notes.push(`${forced} stops SIGKILLed after the grace, ${leftovers} processes still there ${DRAIN_MS} ms after it exited (swept)`);
    if (r.flat.length) {
      const byKill = Array.from({ length: kills }, (_, k) => cell(spread(r.flat.map((f) => f.restartMs[k] ?? NaN))));
      notes.push(`restart by kill #1…#${kills} ms ${byKill.join(' / ')}`);
      notes.push(memoryLine(r.flat));
      notes.push(`fast-crash victim up ms ${cell(spread(r.flat.map((f) => f.fastCrashUpMs)))}`);
    }
    if (r.peer === fortrosInit) notes.push(`(\`node -e 0\` alone: ${cell(spread(nodeStart))} ms)`);
    console.log(`- ${r.peer.name}: ${notes.join('; ')}`);
    for (const e of r.errors) console.log(`  - failed: ${e}`);
  }
  return results.some((r) => r.errors.length) ? 1 : 0;
}

process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench/init failed:', err);
    process.exit(1);
  },
);
