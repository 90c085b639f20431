// `fortctl plot`: the boot timeline as a standalone SVG, like `systemd-analyze plot`.
import type { InitV1 } from '@fortros/proto';
import { LEGEND_STATES, STATE_STYLES } from './state-style.js';
import { formatDuration, formatTick } from './time-format.js';
import { timelineToJson, type TimelineEntryJson } from './timeline-json.js';
import { escapeXml } from './xml.js';

/** Drawing constants, in SVG px. */
const CHART_WIDTH_PX = 1000;
const ROW_HEIGHT_PX = 20;
const BAR_HEIGHT_PX = 14;
const ONESHOT_BAR_HEIGHT_PX = 6;
const MARKER_WIDTH_PX = 2;
const CHAR_WIDTH_PX = 7;
const LABEL_MIN_WIDTH_PX = 80;
const LABEL_MAX_WIDTH_PX = 320;
const PAD_PX = 12;
const HEADER_HEIGHT_PX = 56;
const FOOTER_HEIGHT_PX = 64;
const DURATION_TEXT_WIDTH_PX = 70;
/** The axis spans at least this long, so an empty or instant boot still has a scale. */
const MIN_SPAN_MS = 100;
/** Aim for at most this many grid intervals. */
const MAX_TICKS = 12;

interface Row {
  entry: TimelineEntryJson;
  index: number;
  x0: number;
  x1: number;
  y: number;
}

/** 1, 2 or 5 × 10^k ms, the smallest giving at most MAX_TICKS intervals over `span`. */
export function tickStep(span: number): number {
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (span / (m * p) <= MAX_TICKS) return m * p;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

function tag(name: string, attrs: Record<string, string | number>, body?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : escapeXml(v)}"`)
    .join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

/**
 * One row per service that was spawned, ordered by spawn time: a bar from spawn to ready coloured by state (thin
 * for oneshots, a marker when instant, faded and reaching the last time init reported when never ready), its name on the left, its time to
 * ready on the right, and an arrow from the end of each dependency's bar to the start of its dependent's bar.
 */
export function renderPlotSvg(timeline: InitV1.Timeline__Output): string {
  const t = timelineToJson(timeline);
  const spawned = t.entries.filter((e) => e.spawnedMs !== null).sort((a, b) => a.spawnedMs! - b.spawnedMs! || a.name.localeCompare(b.name));
  const notStarted = t.entries.filter((e) => e.spawnedMs === null && e.type !== 'bundle').map((e) => e.name).sort();
  const latest = Math.max(0, t.bootMs ?? 0, ...t.entries.flatMap((e) => [e.spawnedMs ?? 0, e.readyMs ?? 0]));
  const step = tickStep(Math.max(latest, MIN_SPAN_MS));
  const span = Math.ceil(Math.max(latest, MIN_SPAN_MS) / step) * step;
  const labelWidth = Math.min(LABEL_MAX_WIDTH_PX, Math.max(LABEL_MIN_WIDTH_PX, ...spawned.map((e) => e.name.length * CHAR_WIDTH_PX + PAD_PX)));
  const left = PAD_PX + labelWidth;
  const x = (ms: number): number => left + (Math.max(0, ms) / span) * CHART_WIDTH_PX;
  const top = HEADER_HEIGHT_PX;
  const chartHeight = Math.max(1, spawned.length) * ROW_HEIGHT_PX;
  const width = left + CHART_WIDTH_PX + DURATION_TEXT_WIDTH_PX + PAD_PX;
  const height = top + chartHeight + FOOTER_HEIGHT_PX;

  const rows = new Map<string, Row>();
  spawned.forEach((entry, index) => {
    const end = entry.readyMs ?? latest;
    rows.set(entry.name, { entry, index, x0: x(entry.spawnedMs!), x1: x(end), y: top + index * ROW_HEIGHT_PX });
  });

  const title = t.bootMs !== null ? `Boot: ${formatDuration(t.bootMs)}` : 'Boot: not complete';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="sans-serif" font-size="11">`,
    tag('title', {}, escapeXml(`fortros boot timeline: ${title}`)),
    '<defs>' + tag('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, tag('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#555555' })) + '</defs>',
    tag('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    tag('text', { x: PAD_PX, y: 20, 'font-size': 14, 'font-weight': 'bold' }, escapeXml(title)),
    tag('text', { x: PAD_PX, y: 36, fill: '#555555' }, escapeXml(t.bootStartedAt ? `started ${t.bootStartedAt}` : 'no boot start time reported')),
  ];

  out.push('<g class="grid">');
  for (let ms = 0; ms <= span; ms += step) {
    out.push(tag('line', { x1: x(ms), y1: top - 4, x2: x(ms), y2: top + chartHeight, stroke: '#e0e0e0', 'stroke-width': 1 }));
    out.push(tag('text', { x: x(ms), y: top - 8, 'text-anchor': 'middle', fill: '#555555', 'font-size': 10 }, escapeXml(formatTick(ms, step))));
  }
  out.push(tag('text', { x: left + CHART_WIDTH_PX, y: top + chartHeight + 16, 'text-anchor': 'end', fill: '#555555', 'font-size': 10 }, 'time since boot start'));
  out.push('</g>');

  out.push('<g class="rows">');
  for (const r of rows.values()) out.push(...drawRow(r, labelWidth));
  out.push('</g>');

  out.push('<g class="dependencies" fill="none" stroke="#555555" stroke-width="1" marker-end="url(#arrow)">');
  for (const r of rows.values()) {
    for (const dep of r.entry.dependencies) {
      const d = rows.get(dep);
      if (!d) continue;
      const y1 = d.y + ROW_HEIGHT_PX / 2;
      const y2 = r.y + ROW_HEIGHT_PX / 2;
      out.push(tag('path', { class: 'dep', 'data-from': dep, 'data-to': r.entry.name, d: `M ${n(d.x1)} ${n(y1)} L ${n(r.x0)} ${n(y2)}` }));
    }
  }
  out.push('</g>');

  out.push(...drawFooter(top + chartHeight + 28, notStarted));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function drawRow(r: Row, labelWidth: number): string[] {
  const { entry, x0, y } = r;
  const style = STATE_STYLES[entry.state];
  const instant = r.x1 - x0 < MARKER_WIDTH_PX;
  const thin = entry.type === 'oneshot' && !instant;
  const h = thin ? ONESHOT_BAR_HEIGHT_PX : BAR_HEIGHT_PX;
  const kind = instant ? 'marker' : thin ? 'oneshot' : entry.type;
  const open = entry.readyMs === null;
  const tip = `${entry.name} (${entry.type}, ${entry.state}): spawned +${formatDuration(entry.spawnedMs!)}` +
    (entry.durationMs !== null ? `, ready +${formatDuration(entry.readyMs!)} (${formatDuration(entry.durationMs)})` : ', never ready');
  const lines: string[] = [];
  if (r.index % 2 === 1) lines.push(tag('rect', { x: PAD_PX, y, width: labelWidth + CHART_WIDTH_PX, height: ROW_HEIGHT_PX, fill: '#f6f6f6' }));
  lines.push(tag('text', { x: PAD_PX + labelWidth - 6, y: y + ROW_HEIGHT_PX / 2 + 4, 'text-anchor': 'end' }, escapeXml(entry.name)));
  lines.push(
    tag(
      'rect',
      {
        class: `bar ${kind} ${entry.state}`,
        'data-service': entry.name,
        x: x0,
        y: y + (ROW_HEIGHT_PX - h) / 2,
        width: instant ? MARKER_WIDTH_PX : r.x1 - x0,
        height: h,
        fill: style.fill,
        stroke: '#333333',
        'stroke-width': 0.5,
        ...(open ? { 'fill-opacity': 0.5, 'stroke-dasharray': '3 2' } : {}),
      },
      tag('title', {}, escapeXml(tip)),
    ),
  );
  const label = entry.durationMs !== null ? formatDuration(entry.durationMs) : entry.state;
  lines.push(tag('text', { x: Math.max(r.x1, x0 + MARKER_WIDTH_PX) + 4, y: y + ROW_HEIGHT_PX / 2 + 4, fill: '#555555', 'font-size': 10 }, escapeXml(label)));
  return lines;
}

function drawFooter(y: number, notStarted: readonly string[]): string[] {
  const lines = ['<g class="legend" font-size="10">'];
  let lx = PAD_PX;
  for (const s of LEGEND_STATES) {
    lines.push(tag('rect', { x: lx, y: y - 9, width: 10, height: 10, fill: STATE_STYLES[s].fill, stroke: '#333333', 'stroke-width': 0.5 }));
    lines.push(tag('text', { x: lx + 14, y }, escapeXml(s)));
    lx += 14 + s.length * 6 + 14;
  }
  lines.push(tag('text', { x: lx + 8, y, fill: '#555555' }, 'thin bar: oneshot; narrow mark: instant; faded: never ready; arrow: dependency'));
  lines.push('</g>');
  if (notStarted.length) {
    lines.push(tag('text', { x: PAD_PX, y: y + 20, fill: '#555555', 'font-size': 10 }, escapeXml(`not started: ${notStarted.join(', ')}`)));
  }
  return lines;
}
