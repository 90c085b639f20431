// The benchmark's figures: one row per cluster, the machine it ran on, and the printed table.
import { cpus, totalmem } from 'node:os';
import { LOSS_LEVELS } from './constants.js';

export interface Spread {
  median: number;
  max: number;
  /** How many samples (writes, or observer nodes). */
  count: number;
}

export interface Alarms {
  suspicions: number;
  deaths: number;
}

export interface Row {
  n: number;
  kind: 'real' | 'sim';
  /** real: from spawning the joiners until every node sees every node alive. */
  joinSpawnMs?: number;
  /** real: from the last node's readiness until then; sim: from startAll until converged (virtual). */
  joinReadyMs?: number;
  write?: Spread;
  detect?: Spread;
  /** Per LOSS_LEVELS entry; undefined = not measured. */
  loss?: (Alarms | undefined)[];
  /** real: UDP gossip bytes sent per node per second (nftables counters, IP packets). */
  gossipBps?: number;
  /** real: TCP OrgSync bytes per node per second (nftables counters, IP packets, both directions). */
  syncBps?: number;
  /** SWIM bytes sent per node per second in the simulator (payloads) at this N. */
  simBps?: number;
  /** sim: packets and payload bytes sent per node per second from startAll until converged. */
  simJoin?: { pps: number; bps: number };
  /** sim: packets sent per node per second in the idle 0% window. */
  simPps?: number;
  notes: string[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform} ${process.arch}`;
}

const secs = (ms: number | undefined): string => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)}`);
const msOf = (ms: number): string => `${Math.round(ms)}`;
const kb = (bps: number | undefined): string => (bps === undefined ? '-' : `${(bps / 1000).toFixed(2)}`);

function spread(s: Spread | undefined, fmt: (ms: number) => string, na: string): string {
  return s ? `${fmt(s.median)} / ${fmt(s.max)}` : na;
}

function lossCell(r: Row, i: number): string {
  const a = r.loss?.[i];
  if (a) return `${a.suspicions} / ${a.deaths}`;
  // a real row that reached its loss windows without a namespace has undefined entries; one that failed before has none
  return r.kind === 'real' && r.loss ? 'n/a (no netns)' : 'n/a';
}

/** A Markdown table (readable as text, pasteable into the README). */
export function renderTable(rows: readonly Row[]): string[] {
  const header = [
    'N',
    'run',
    'join: spawn→conv (s)',
    'join: ready→conv (s)',
    'write everywhere med / max (ms)',
    'kill -9 → dead med / max (s)',
    ...LOSS_LEVELS.map((p) => `susp / deaths @${p * 100}%`),
    'gossip KB/s/node',
    'sync KB/s/node',
    'SWIM KB/s/node (sim)',
  ];
  const body = rows.map((r) => [
    String(r.n),
    r.kind === 'real' ? 'real processes' : 'simulator',
    r.kind === 'real' ? secs(r.joinSpawnMs) : '-',
    secs(r.joinReadyMs),
    spread(r.write, msOf, r.kind === 'sim' ? 'n/a (SWIM only)' : 'n/a'),
    spread(r.detect, (ms) => (ms / 1000).toFixed(2), 'n/a'),
    ...LOSS_LEVELS.map((_, i) => lossCell(r, i)),
    kb(r.gossipBps),
    kb(r.syncBps),
    kb(r.simBps),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
}

/** The simulator's join traffic and idle message rate, one line per simulated row. */
export function renderSimTraffic(rows: readonly Row[]): string[] {
  return rows
    .filter((r) => r.kind === 'sim' && r.simJoin)
    .map((r) => `- sim N=${r.n}: converged after ${secs(r.joinReadyMs)} virtual s; while joining ${r.simJoin!.pps.toFixed(1)} msgs and ${kb(r.simJoin!.bps)} KB per node per s; idle ${r.simPps?.toFixed(1) ?? 'n/a'} msgs and ${kb(r.simBps)} KB per node per s`);
}
