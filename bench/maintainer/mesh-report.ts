// The mesh rows as printed: each figure beside DESIGN §10's bar for it, and what ran.
import {
  BAR_BYTES_PER_S,
  BAR_DEAD_MEDIAN_MS,
  BAR_FALSE_DEATHS,
  BAR_HEAL_MS,
  BAR_JOIN_MS,
  BAR_WRITE_MAX_MS,
  BAR_WRITE_MEDIAN_MS,
  MESH_LOSS_PER_MILLE,
} from './constants.js';
import type { MeshFigures } from './mesh-run.js';
import type { Spread } from './report.js';

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const msf = (ms: number): string => `${Math.round(ms)} ms`;
const kbs = (bps: number): string => `${(bps / 1000).toFixed(2)} KB/s`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'missed');
const medMax = (x: Spread, fmt: (ms: number) => string): string => `${fmt(x.median)} / ${fmt(x.max)} (${x.count})`;

type Line = [figure: string, measured: string, bar: string, verdict: string];

function lines(f: MeshFigures): Line[] {
  const out: Line[] = [];
  const na = (figure: string, bar: string): number => out.push([figure, 'n/a', bar, '-']);
  if (f.join) out.push(['token join → converged, med / max (joiners)', medMax(f.join, s), `< ${s(BAR_JOIN_MS)}`, verdict(f.join.max < BAR_JOIN_MS)]);
  else na('token join → converged', `< ${s(BAR_JOIN_MS)}`);
  if (f.joinReady) out.push(['  init start → maintainer ready', medMax(f.joinReady, s), '', '']);
  if (f.joinAfterReady) out.push(['  maintainer ready → converged', medMax(f.joinAfterReady, s), '', '']);
  if (f.joinEverywhere) out.push(['  init start → every member sees it alive', medMax(f.joinEverywhere, s), '', '']);
  if (f.write) {
    const ok = f.write.median < BAR_WRITE_MEDIAN_MS && f.write.max < BAR_WRITE_MAX_MS;
    out.push(['write everywhere, med / max (writes)', medMax(f.write, msf), `< ${msf(BAR_WRITE_MEDIAN_MS)} / < ${msf(BAR_WRITE_MAX_MS)}`, verdict(ok)]);
  } else na('write everywhere', `< ${msf(BAR_WRITE_MEDIAN_MS)} / < ${msf(BAR_WRITE_MAX_MS)}`);
  if (f.detect) out.push(['kill -9 → dead, med / max (observers)', medMax(f.detect, s), `med < ${s(BAR_DEAD_MEDIAN_MS)}`, verdict(f.detect.median < BAR_DEAD_MEDIAN_MS)]);
  else na('kill -9 → dead', `med < ${s(BAR_DEAD_MEDIAN_MS)}`);
  if (f.loss) {
    const ok = f.loss.deaths <= BAR_FALSE_DEATHS;
    out.push([`false deaths @${MESH_LOSS_PER_MILLE / 10}% loss in ${f.lossWindowS?.toFixed(0)} s (suspicions)`, `${f.loss.deaths} (${f.loss.suspicions})`, `${BAR_FALSE_DEATHS}`, verdict(ok)]);
  } else na('false deaths @10% loss', `${BAR_FALSE_DEATHS}`);
  const p = f.partition;
  if (p?.healWritesMs !== undefined) {
    out.push([`partition ${p.sides[0]}/${p.sides[1]} for ${p.seconds.toFixed(0)} s, ${p.writes} writes: heal → every write everywhere`, s(p.healWritesMs), `< ${s(BAR_HEAL_MS)}`, verdict(p.healWritesMs < BAR_HEAL_MS && p.crossed === 0)]);
    if (p.healAliveMs !== undefined) out.push(['  heal → every node alive everywhere', s(p.healAliveMs), '', '']);
  } else na('partition heal → every write everywhere', `< ${s(BAR_HEAL_MS)}`);
  if (f.bytes) {
    out.push([`underlay bytes sent per node, quiet ${f.bytes.windowS.toFixed(0)} s, mean / max`, `${kbs(f.bytes.meanBps)} / ${kbs(f.bytes.maxBps)}`, `≤ ${kbs(BAR_BYTES_PER_S)}`, verdict(f.bytes.maxBps <= BAR_BYTES_PER_S)]);
    out.push(['  received per node, mean', kbs(f.bytes.receivedMeanBps), '', '']);
  } else na('underlay bytes per node', `≤ ${kbs(BAR_BYTES_PER_S)}`);
  if (f.quiet) out.push(['suspicions / deaths in the quiet window', `${f.quiet.suspicions} / ${f.quiet.deaths}`, '', '']);
  return out;
}

/** A Markdown table of the mesh figures with their bars, and notes on what ran and how it was counted. */
export function renderMesh(f: MeshFigures): string[] {
  const header: Line = [`mesh N=${f.n} (real WireGuard)`, 'measured', 'bar (DESIGN §10)', ''];
  const body = lines(f);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const row = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    row(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(row),
    '',
    `- mesh: each node a fortros-init tree (${f.services.join(', ')}; wireguard-go) in its own network namespace, joined by`,
    '  veth to a bridge in the lab\'s namespace (libs/netlab); nodes join one at a time with a token from the first node.',
    '  Join times start when the node\'s init starts (namespace made beforehand) and end when the bench saw it through',
    '  WatchMembers (its view synced, every member so far alive; then every other member seeing it alive).',
    '- writes: PutWorkload on node k mod N until every node\'s WatchWorkloads reported it. kill -9: every process in the',
    '  last node\'s namespace; per other node until its WatchMembers said DEAD (median over the observers).',
    `- loss: nftables on the lab's bridge drops ${MESH_LOSS_PER_MILLE / 10}% of the IPv4 frames between nodes (each packet once);`,
    '  deaths / suspicions are events about running nodes, summed over observers. Partition: libs/netlab nftables on the',
    '  underlay, half / half, writes on both sides spread over it; heal → every write on every node.',
    '- bytes: counters of each node\'s bridge port (veth in the lab namespace, Ethernet frames: WireGuard UDP with its',
    '  overhead, admission TCP, ARP) over a quiet window with nothing written.',
    ...((f.partition?.crossed ?? 0) > 0 ? [`- partition: ${f.partition!.crossed} writes crossed it before the heal: it was not a partition.`] : []),
    ...f.notes.map((n) => `- note mesh N=${f.n}: ${n}`),
    ...(f.failed ? [`- FAILED mesh N=${f.n} at ${f.failed} (the figures above it stand; the later ones are n/a)`] : []),
  ];
}
