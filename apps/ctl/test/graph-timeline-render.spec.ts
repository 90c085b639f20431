// Renderers of the graph (DOT) and the boot timeline (blame, SVG plot), table-driven.
import assert from 'node:assert/strict';
import type { InitV1 } from '@fortros/proto';
import { renderBlame } from '../src/render/blame.js';
import { dotId, renderGraphDot } from '../src/render/graph-dot.js';
import { renderPlotSvg, tickStep } from '@fortros/views';
import { STATE_NAMES } from '@fortros/views';
import { STATE_STYLES } from '@fortros/views';
import { timelineToJson } from '@fortros/views';
import { formatTick } from '@fortros/views';
import { parseXml } from './xml-check.js';
import { entry, T0, timeline, ts } from './wire-builders.js';

const graph: InitV1.Graph__Output = {
  nodes: [
    { name: 'maintainer', type: 'SERVICE_TYPE_LONGRUN', state: 'SERVICE_STATE_READY' },
    { name: 'wireguard', type: 'SERVICE_TYPE_ONESHOT', state: 'SERVICE_STATE_FAILED' },
    { name: 'default', type: 'SERVICE_TYPE_BUNDLE', state: 'SERVICE_STATE_BLOCKED' },
    { name: 'we"ird\\name', type: 'SERVICE_TYPE_LONGRUN', state: 'SERVICE_STATE_BACKOFF' },
  ],
  edges: [
    { from: 'maintainer', to: 'wireguard', kind: 'KIND_DEPENDENCY' },
    { from: 'default', to: 'maintainer', kind: 'KIND_CONTENTS' },
    { from: 'default', to: 'we"ird\\name', kind: 'KIND_CONTENTS' },
    { from: 'maintainer', to: 'ghost', kind: 'KIND_DEPENDENCY' },
  ],
};

/** Statements of a DOT body, with quoted strings collapsed so their contents cannot confuse the checks. */
function dotStatements(dot: string): string[] {
  return dot.replace(/"(?:[^"\\]|\\.)*"/g, 'Q').split('\n').map((l) => l.trim());
}

describe('graph as DOT (render/graph-dot)', () => {
  const dot = renderGraphDot(graph);
  const lines = dot.split('\n');

  it('is one digraph with balanced braces and brackets, every string closed', () => {
    assert.match(dot, /^digraph fortros \{\n/);
    assert.match(dot, /\}\n$/);
    const bare = dot.replace(/"(?:[^"\\]|\\.)*"/g, 'Q');
    assert.ok(!bare.includes('"'), 'an unterminated string');
    for (const [open, close] of [['{', '}'], ['[', ']']] as const) assert.equal(bare.split(open).length, bare.split(close).length, `${open}${close} unbalanced`);
    for (const s of dotStatements(dot)) if (s && !/[{}]$/.test(s) && !s.startsWith('subgraph')) assert.match(s, /;$/, `statement without ; : ${s}`);
  });

  it('escapes quotes and backslashes in names', () => {
    assert.equal(dotId('we"ird\\name'), '"we\\"ird\\\\name"');
    assert.ok(lines.some((l) => l.startsWith('  "we\\"ird\\\\name" [')));
  });

  it('fills every node with its state colour, bundles as folders', () => {
    const node = (name: string) => lines.find((l) => l.startsWith(`  ${dotId(name)} [`))!;
    assert.match(node('maintainer'), new RegExp(`fillcolor="${STATE_STYLES.ready.fill}"`));
    assert.match(node('wireguard'), new RegExp(`fillcolor="${STATE_STYLES.failed.fill}"`));
    assert.match(node('default'), /shape="folder"/);
    assert.doesNotMatch(node('maintainer'), /shape="folder"/);
  });

  it('draws dependency edges solid and bundle contents dashed', () => {
    const edges = lines.filter((l) => l.includes(' -> ') && !l.includes('legend'));
    assert.equal(edges.length, 4);
    assert.deepEqual(edges.filter((l) => l.includes('style=dashed')).map((l) => l.trim().split(' ->')[0]), ['"default"', '"default"']);
    assert.ok(edges.some((l) => l.trim() === '"maintainer" -> "wireguard";'));
  });

  it('marks a name only an edge mentions as missing', () => {
    assert.ok(lines.some((l) => l.startsWith('  "ghost" [') && l.includes('(missing)') && l.includes('style="dashed"')));
  });

  it('has a legend with one distinct colour per state', () => {
    const legend = STATE_NAMES.map((s) => lines.find((l) => l.includes(`"legend ${s}" [`))!);
    const colours = legend.map((l) => /fillcolor="([^"]+)"/.exec(l)![1]);
    assert.equal(new Set(colours).size, STATE_NAMES.length);
  });
});

const boot = timeline(
  [
    entry({ name: 'persist-mount', type: 'SERVICE_TYPE_ONESHOT', spawnedAt: ts(10), readyAt: ts(60), state: 'SERVICE_STATE_READY' }),
    entry({ name: 'wireguard', type: 'SERVICE_TYPE_ONESHOT', spawnedAt: ts(60), readyAt: ts(60), state: 'SERVICE_STATE_READY', dependencies: ['persist-mount'] }),
    entry({ name: 'maintainer', spawnedAt: ts(61), readyAt: ts(1_861), state: 'SERVICE_STATE_READY', dependencies: ['wireguard'] }),
    entry({ name: 'key-service', spawnedAt: ts(61), readyAt: ts(300), state: 'SERVICE_STATE_READY', dependencies: ['persist-mount'] }),
    entry({ name: 'reconciler', spawnedAt: ts(1_900), state: 'SERVICE_STATE_STARTING', dependencies: ['maintainer', 'key-service'] }),
    entry({ name: 'boot-<watchdog>&co', state: 'SERVICE_STATE_BLOCKED', dependencies: ['maintainer'] }),
    entry({ name: 'default', type: 'SERVICE_TYPE_BUNDLE', state: 'SERVICE_STATE_BLOCKED' }),
  ],
  undefined,
);

describe('blame (render/blame)', () => {
  it('sorts by time to ready, slowest first; never-ready services last with their state; bundles left out', () => {
    const lines = renderBlame(boot, new Date(T0 + 2_500));
    assert.equal(lines[0], 'Boot not complete: 2.500s so far (started 2025-01-01T00:00:00.000Z).');
    assert.deepEqual(lines.slice(1).map((l) => l.trim()), [
      '1.800s maintainer',
      '239ms key-service',
      '50ms persist-mount',
      '0ms wireguard',
      '- boot-<watchdog>&co (blocked, never started)',
      '- reconciler (starting, never ready)',
    ]);
    const ends = lines.slice(1).map((l) => l.indexOf(' ', l.search(/\S/)));
    assert.equal(new Set(ends).size, 1, 'durations right-aligned');
  });

  it('gives the total boot time once the boot completed', () => {
    assert.match(renderBlame({ ...boot, bootCompletedAt: ts(3_210) }, new Date())[0]!, /^Boot completed in 3\.210s/);
  });
});

describe('boot plot as SVG (render/plot-svg)', () => {
  const svg = renderPlotSvg(boot);
  const els = parseXml(svg);
  const bars = els.filter((e) => e.name === 'rect' && e.attrs['class']?.split(' ').includes('bar'));

  it('is a standalone, well-formed SVG document', () => {
    const root = els[0]!;
    assert.equal(root.name, 'svg');
    assert.equal(root.attrs['xmlns'], 'http://www.w3.org/2000/svg');
    assert.match(root.attrs['viewBox']!, /^0 0 \d+(\.\d)? \d+(\.\d)?$/);
    assert.equal(`0 0 ${root.attrs['width']} ${root.attrs['height']}`, root.attrs['viewBox']);
  });

  it('draws one bar per spawned service, in spawn order, coloured by state', () => {
    const spawned = timelineToJson(boot).entries.filter((e) => e.spawnedAt);
    assert.equal(bars.length, spawned.length);
    assert.deepEqual(bars.map((b) => b.attrs['data-service']), ['persist-mount', 'wireguard', 'key-service', 'maintainer', 'reconciler']);
    const bar = (name: string) => bars.find((b) => b.attrs['data-service'] === name)!;
    assert.equal(bar('maintainer').attrs['fill'], STATE_STYLES.ready.fill);
    assert.equal(bar('reconciler').attrs['fill'], STATE_STYLES.starting.fill);
    assert.ok(Number(bar('maintainer').attrs['x']) < Number(bar('reconciler').attrs['x']));
  });

  it('draws oneshots thin, instant ones as a marker, never-ready ones faded', () => {
    const bar = (name: string) => bars.find((b) => b.attrs['data-service'] === name)!;
    assert.ok(Number(bar('persist-mount').attrs['height']) < Number(bar('maintainer').attrs['height']));
    assert.match(bar('wireguard').attrs['class']!, /\bmarker\b/);
    assert.equal(bar('reconciler').attrs['fill-opacity'], '0.5');
  });

  it('labels rows by name, escaping text, and lists services never started', () => {
    const texts = els.filter((e) => e.name === 'text').map((e) => e.text);
    for (const name of ['persist-mount', 'maintainer', 'reconciler']) assert.ok(texts.includes(name), name);
    assert.ok(texts.includes('not started: boot-<watchdog>&co'));
    assert.ok(svg.includes('boot-&lt;watchdog&gt;&amp;co'));
  });

  it('draws a dependency arrow from the end of each dependency bar to the start of its dependent', () => {
    const arrows = els.filter((e) => e.name === 'path' && e.attrs['class'] === 'dep');
    const pairs = arrows.map((a) => `${a.attrs['data-from']}->${a.attrs['data-to']}`).sort();
    assert.deepEqual(pairs, ['key-service->reconciler', 'maintainer->reconciler', 'persist-mount->key-service', 'persist-mount->wireguard', 'wireguard->maintainer']);
    const m = arrows.find((a) => a.attrs['data-from'] === 'maintainer')!;
    const [x1, , x2] = /^M ([\d.]+) ([\d.]+) L ([\d.]+) ([\d.]+)$/.exec(m.attrs['d']!)!.slice(1).map(Number);
    const mb = bars.find((b) => b.attrs['data-service'] === 'maintainer')!;
    const rb = bars.find((b) => b.attrs['data-service'] === 'reconciler')!;
    assert.ok(Math.abs(x1! - (Number(mb.attrs['x']) + Number(mb.attrs['width']))) < 0.2);
    assert.ok(Math.abs(x2! - Number(rb.attrs['x'])) < 0.2);
  });

  it('has a labelled time axis with grid lines', () => {
    const ticks = els.filter((e) => e.name === 'text' && e.path.includes('g') && /^(0|\d+(\.\d+)?(ms|s|m))$/.test(e.text));
    assert.ok(ticks.length >= 5, `ticks: ${ticks.map((t) => t.text).join(' ')}`);
    assert.equal(ticks[0]!.text, '0');
    assert.ok(ticks.some((t) => t.text === '1s'));
  });

  it('renders an empty timeline', () => {
    const empty = parseXml(renderPlotSvg({ bootStartedAt: null, bootCompletedAt: null, entries: [] }));
    assert.equal(empty.filter((e) => e.attrs['class']?.startsWith('bar')).length, 0);
  });

  const steps: [number, number][] = [[100, 10], [1_900, 200], [12_000, 1_000], [95_000, 10_000]];
  for (const [span, step] of steps) it(`picks a ${step} ms grid for a ${span} ms boot`, () => assert.equal(tickStep(span), step));
  const labels: [number, number, string][] = [[250, 50, '250ms'], [1000, 200, '1s'], [1500, 500, '1.5s'], [120_000, 20_000, '120s'], [120_000, 60_000, '2m'], [30_000, 10_000, '30s']];
  for (const [ms, step, label] of labels) it(`labels ${ms} ms as ${label}`, () => assert.equal(formatTick(ms, step), label));
});
