// The figures: medians and spreads, the per-hop slope, the machine and the peers' versions, and the printed table.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { promisify } from 'node:util';
import { COMMAND_TIMEOUT_MS } from './constants.js';
import type { Peer } from './peers/peer.js';
import type { BootResult, FlatResult } from './scenarios.js';

/** Everything measured of one peer; chain[n][rep] is undefined where that boot failed. */
export interface PeerResults {
  peer: Peer;
  version: string;
  missing: string | undefined;
  chain: Map<number, (BootResult | undefined)[]>;
  flat: FlatResult[];
  errors: string[];
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: readonly number[]): Spread | undefined {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
export const cell = (s: Spread | undefined): string => (s ? `${num(s.median)} (${num(s.min)}–${num(s.max)})` : 'n/a');

/** Least-squares slope of y over x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

/** One slope per repetition in which every chain length has a figure (ms per hop). */
export function hopSlopes(chain: ReadonlyMap<number, readonly (number | undefined)[]>, reps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const pts = [...chain].map(([n, xs]) => [n, xs[r]] as const);
    if (pts.length >= 2 && pts.every(([, y]) => y !== undefined)) out.push(slope(pts as [number, number][]));
  }
  return out;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, nproc ${cpu.length}, Linux ${release()}, Node ${process.version}`;
}

export const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** `package version` of the Debian packages (dpkg-query), and fortros-init's from its package.json. */
export async function versions(initPackageJson: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const { stdout } = await promisify(execFile)('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 's6', 'runit', 'supervisor'], {
    timeout: COMMAND_TIMEOUT_MS,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  for (const line of stdout.split('\n')) {
    const [pkg, version] = line.split(' ');
    if (pkg && version) out.set(pkg === 'supervisor' ? 'supervisord' : pkg, version);
  }
  try {
    out.set('fortros-init', (JSON.parse(readFileSync(initPackageJson, 'utf8')) as { version: string }).version);
  } catch {
    out.set('fortros-init', '?');
  }
  return out;
}

/** The Markdown table: one row per peer and one for the bare runs (chain and flat). */
export function renderTable(results: readonly PeerResults[], bare: ReadonlyMap<number, number[]>, bareFlatMs: readonly number[], sizes: readonly number[], flatN: number, reps: number): string[] {
  const header = ['peer', 'version', ...sizes.map((n) => `chain N=${n} ms`), 'per hop ms', 'per hop − bare ms', 'dep retries', `flat N=${flatN}: all started ms`, `flat: CPU ms / service`, 'first restart after SIGKILL ms', 'fast crash ms', `PSS N=${flatN} MiB`];
  const bareHop = spread(hopSlopes(bare, reps));
  const rows: string[][] = [];
  for (const r of results) {
    if (r.missing) {
      rows.push([r.peer.name, r.version, ...sizes.map(() => 'n/a'), `n/a: ${r.missing}`, '', '', '', '', '', '', '']);
      continue;
    }
    const chainMs = new Map([...r.chain].map(([n, xs]) => [n, xs.map((x) => x?.ms)] as const));
    const hop = spread(hopSlopes(chainMs, reps));
    const na = `n/a (${r.peer.noChain})`;
    const boots = [...r.chain.values()].flat().filter((x) => x !== undefined);
    const retried = boots.filter((x) => x.retries > 0);
    const retries = `${retried.reduce((a, x) => a + x.retries, 0)} in ${retried.length}/${boots.length} boots`;
    rows.push([
      r.peer.name,
      r.version,
      ...sizes.map((n) => (r.peer.noChain ? na : cell(spread((chainMs.get(n) ?? []).filter((x): x is number => x !== undefined))))),
      r.peer.noChain ? na : cell(hop),
      r.peer.noChain ? na : hop && bareHop ? num(hop.median - bareHop.median) : 'n/a',
      r.peer.noChain ? '-' : retries,
      cell(spread(r.flat.map((f) => f.ms))),
      cell(spread(r.flat.map((f) => f.cpuMs / flatN))),
      cell(spread(r.flat.map((f) => f.restartMs[0] ?? NaN))),
      cell(spread(r.flat.map((f) => f.fastCrashMs))),
      cell(spread(r.flat.map((f) => f.memory.pssKiB / KIB_PER_MIB))),
    ]);
  }
  rows.push(['no supervisor (one sh runs the programs: in turn; flat: all at once)', '-', ...sizes.map((n) => cell(spread(bare.get(n) ?? []))), cell(bareHop), '0', '-', cell(spread([...bareFlatMs])), '-', '-', '-', '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

const KIB_PER_MIB = 1024;

/** The supervision trees' memory beside the PSS column: anonymous PSS (what sharing with other processes cannot
 * lower), RSS, and how many processes were summed. */
export function memoryLine(flat: readonly FlatResult[]): string {
  const mib = (f: (x: FlatResult) => number): string => cell(spread(flat.map((x) => f(x) / KIB_PER_MIB)));
  return `memory MiB: PSS ${mib((x) => x.memory.pssKiB)}, anonymous PSS ${mib((x) => x.memory.pssAnonKiB)}, RSS ${mib((x) => x.memory.rssKiB)} over ${cell(spread(flat.map((x) => x.memory.processes)))} processes`;
}

/** Medians of the peers' own figures (BootResult.extras), e.g. fortros-init's breakdown from its records. */
export function extrasLine(results: readonly BootResult[]): string {
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.extras)))];
  return keys.map((k) => `${k} ${cell(spread(results.map((r) => r.extras[k] ?? NaN)))}`).join('; ');
}
