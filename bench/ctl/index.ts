// bench/ctl: what one fortctl call costs (DESIGN §10: little more than starting Node), beside `node -e 0` and the
// status tools of s6 (s6-svstat) and runit (sv status) asked about the same services under their own supervisors.
// Run (from the repo root, after the build): npx tsx bench/ctl/index.ts [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from '../args.js';
import { fortrosInit } from '../init/peers/fortros-init.js';
import type { Peer, RunDirs, ServiceDef } from '../init/peers/peer.js';
import { runit } from '../init/peers/runit.js';
import { s6 } from '../init/peers/s6.js';
import { cleanupSync, SupervisorProcess, sweep, trackDir, trackMarker, untrackDir, untrackMarker } from '../init/processes.js';
import { load, machine } from '../init/report.js';
import { firstStamps, waitFor } from '../init/stamps.js';
import { CALL_TIMEOUT_MS, CALLS, CALLS_QUICK, SERVICES, SERVICES_QUICK, UP_TIMEOUT_MS } from './constants.js';

const USAGE = `usage: npx tsx bench/ctl/index.ts [--quick]   (--quick: ${SERVICES_QUICK} services, ${CALLS_QUICK} calls a command)`;
const FORTCTL = fileURLToPath(new URL('../../apps/ctl/bin/fortctl.js', import.meta.url));
/** The same CLI unbundled (tsc's output): what the bundle saves. */
const FORTCTL_UNBUNDLED = fileURLToPath(new URL('../../apps/ctl/dist/main.js', import.meta.url));
const TIME = '/usr/bin/time';

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

interface Figures {
  label: string;
  wallMs: number;
  cpuMs: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Median wall time (spawn to exit, as a shell sees it) and CPU (user + system, from GNU time) of `calls` runs. */
function measure(label: string, argv: readonly string[], calls: number): Figures {
  const wall: number[] = [];
  const cpu: number[] = [];
  const withTime = existsSync(TIME);
  for (let i = 0; i < calls; i++) {
    const [file, args] = withTime ? [TIME, ['-f', '@@%U %S', ...argv]] : [argv[0]!, argv.slice(1)];
    const t0 = performance.now();
    const r = spawnSync(file, args, { encoding: 'utf8', timeout: CALL_TIMEOUT_MS, env: { ...process.env, FORTROS_ROOT: undefined } });
    wall.push(performance.now() - t0);
    const rusage = /@@([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
    if (r.status !== 0) throw new Error(`${label}: ${argv.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(0, 400)}`);
    if (rusage) cpu.push((Number(rusage[1]) + Number(rusage[2])) * 1000);
  }
  return { label, wallMs: median(wall), cpuMs: cpu.length ? median(cpu) : NaN };
}

/** Start `peer` with `services` under `base`, run `body` once every service has started, stop and sweep it. */
async function withPeer<T>(peer: Peer, base: string, services: readonly ServiceDef[], body: (run: RunDirs) => Promise<T>): Promise<T> {
  const dir = join(base, peer.name);
  const run = { dir, stamps: join(dir, 'stamps') };
  await mkdir(run.stamps, { recursive: true });
  trackMarker(dir);
  const sup = new SupervisorProcess(await peer.prepare(run, services), dir);
  try {
    const names = services.map((s) => s.name);
    await waitFor({ dir: run.stamps, what: `${peer.name}: ${names.length} services up`, check: () => firstStamps(run.stamps, names), failed: () => sup.gone(), timeoutMs: UP_TIMEOUT_MS });
    return await body(run);
  } finally {
    await sup.stop();
    await sweep(dir);
    await rm(dir, { recursive: true, force: true });
    untrackMarker(dir);
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv, USAGE);
  if (args.exit !== undefined) return args.exit;
  const n = args.quick ? SERVICES_QUICK : SERVICES;
  const calls = args.quick ? CALLS_QUICK : CALLS;
  const services: ServiceDef[] = Array.from({ length: n }, (_, i) => ({ name: `s${i + 1}` }));
  const base = await mkdtemp(join(tmpdir(), 'ct-bench-'));
  trackDir(base);
  process.on('exit', cleanupSync);
  const rows: Figures[] = [];
  const skipped: string[] = [];
  try {
    log(`${machine()}; load ${load()}; ${n} services; median of ${calls} calls`);
    rows.push(measure('node -e 0', [process.execPath, '-e', '0'], calls));
    rows.push(measure('fortctl --help', [process.execPath, FORTCTL, '--help'], calls));
    await withPeer(fortrosInit, base, services, async (run) => {
      const root = join(run.dir, 'root');
      await waitFor({ dir: run.dir, what: 'init.sock', check: async () => (existsSync(join(root, 'run/fortros/init.sock')) ? true : undefined), timeoutMs: UP_TIMEOUT_MS });
      rows.push(measure('fortctl services', [process.execPath, FORTCTL, '--root', root, 'services'], calls));
      rows.push(measure('fortctl status s1', [process.execPath, FORTCTL, '--root', root, 'status', 's1'], calls));
      rows.push(measure('fortctl services (unbundled)', [process.execPath, FORTCTL_UNBUNDLED, '--root', root, 'services'], calls));
    });
    for (const [peer, rowsOf] of [
      [s6, (scan: string) => [measure('s6-svstat s1', ['s6-svstat', join(scan, 's1')], calls)]],
      [runit, (scan: string) => [measure('sv status s1', ['sv', 'status', join(scan, 's1')], calls), measure(`sv status (all ${n})`, ['sv', 'status', ...services.map((s) => join(scan, s.name))], calls)]],
    ] as const) {
      const why = peer.missing();
      if (why) {
        skipped.push(`${peer.name}: ${why}`);
        continue;
      }
      await withPeer(peer, base, services, async (run) => void rows.push(...rowsOf(join(run.dir, 'scan'))));
    }
  } finally {
    await rm(base, { recursive: true, force: true });
    untrackDir(base);
  }
  const width = Math.max(...rows.map((r) => r.label.length));
  console.log(`bench/ctl: ${machine()}`);
  console.log(`${new Date().toISOString()}, load average at the end ${load()}, ${n} services, median of ${calls} calls`);
  console.log(`${'command'.padEnd(width)}  wall ms  cpu ms`);
  for (const r of rows) console.log(`${r.label.padEnd(width)}  ${r.wallMs.toFixed(1).padStart(7)}  ${Number.isNaN(r.cpuMs) ? '      -' : r.cpuMs.toFixed(0).padStart(6)}`);
  for (const s of skipped) console.log(`skipped ${s}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`bench/ctl: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
});
