// The service graph as Graphviz DOT: nodes coloured by state, dependency edges solid, bundle contents dashed.
import type { InitV1 } from '@fortros/proto';
import { stateName, typeName, type StateName, type TypeName } from '@fortros/views';
import { LEGEND_STATES, STATE_STYLES } from '@fortros/views';

export type EdgeKindName = 'dependency' | 'contents' | 'unknown';

export interface GraphJson {
  nodes: { name: string; type: TypeName; state: StateName }[];
  edges: { from: string; to: string; kind: EdgeKindName }[];
}

export function edgeKindName(kind: string | number | null | undefined): EdgeKindName {
  if (String(kind) === 'KIND_DEPENDENCY') return 'dependency';
  if (String(kind) === 'KIND_CONTENTS') return 'contents';
  return 'unknown';
}

export function graphToJson(g: InitV1.Graph__Output): GraphJson {
  return {
    nodes: (g.nodes ?? []).map((n) => ({ name: n.name, type: typeName(n.type), state: stateName(n.state) })),
    edges: (g.edges ?? []).map((e) => ({ from: e.from, to: e.to, kind: edgeKindName(e.kind) })),
  };
}

/** A DOT double-quoted ID: backslashes and quotes escaped, line breaks as `\n`. */
export function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}

const SHAPES: Record<TypeName, string> = { longrun: 'box', oneshot: 'box', bundle: 'folder', unknown: 'box' };
const STYLES: Record<TypeName, string> = { longrun: 'filled,rounded', oneshot: 'filled', bundle: 'filled', unknown: 'filled' };

function attrs(pairs: Record<string, string>): string {
  return `[${Object.entries(pairs)
    .map(([k, v]) => `${k}=${dotId(v)}`)
    .join(', ')}]`;
}

/**
 * `digraph fortros { … }`: an edge points from the service that needs (or the bundle that contains) to the other
 * end, like `systemd-analyze dot`. Names an edge mentions that are not nodes are drawn as missing (dashed, red).
 */
export function renderGraphDot(g: InitV1.Graph__Output): string {
  const { nodes, edges } = graphToJson(g);
  const known = new Set(nodes.map((n) => n.name));
  const out: string[] = ['digraph fortros {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const style = STATE_STYLES[n.state];
    out.push(
      `  ${dotId(n.name)} ${attrs({
        shape: SHAPES[n.type],
        style: STYLES[n.type],
        fillcolor: style.fill,
        fontcolor: style.text,
        tooltip: `${n.name}: ${n.type}, ${n.state}`,
      })};`,
    );
  }
  const missing = new Set<string>();
  for (const e of edges) for (const end of [e.from, e.to]) if (!known.has(end)) missing.add(end);
  for (const name of [...missing].sort()) {
    out.push(`  ${dotId(name)} ${attrs({ shape: 'box', style: 'dashed', color: '#cb181d', fontcolor: '#cb181d', label: `${name}\n(missing)` })};`);
  }
  for (const e of edges) {
    const style = e.kind === 'contents' ? ' [style=dashed, arrowhead=odiamond]' : e.kind === 'dependency' ? '' : ' [style=dotted]';
    out.push(`  ${dotId(e.from)} -> ${dotId(e.to)}${style};`);
  }
  out.push(...legend(nodes.some((n) => n.state === 'unknown')));
  out.push('}');
  return out.join('\n') + '\n';
}

/** One filled node per state, plus the two edge styles, in a cluster of its own. */
function legend(withUnknown: boolean): string[] {
  const states: StateName[] = withUnknown ? [...LEGEND_STATES, 'unknown'] : [...LEGEND_STATES];
  // Legend IDs contain a space, which a service name never does (DESIGN §4), so they cannot collide.
  const id = (s: string): string => dotId(`legend ${s}`);
  const lines = ['  subgraph cluster_legend {', '    label="legend"; fontname="Helvetica"; fontsize=10; color="#bbbbbb";', '    node [shape=box, style=filled, fontsize=9];'];
  for (const s of states) lines.push(`    ${id(s)} ${attrs({ label: s, fillcolor: STATE_STYLES[s].fill, fontcolor: STATE_STYLES[s].text })};`);
  for (let i = 1; i < states.length; i++) lines.push(`    ${id(states[i - 1]!)} -> ${id(states[i]!)} [style=invis];`);
  lines.push(`    ${id('a')} [label="A", style=solid]; ${id('b')} [label="B", style=solid]; ${id('bundle')} [label="bundle", shape=folder, style=solid];`);
  lines.push(`    ${id('a')} -> ${id('b')} [label="needs"];`);
  lines.push(`    ${id('bundle')} -> ${id('a')} [label="contains", style=dashed, arrowhead=odiamond];`);
  lines.push('  }');
  return lines;
}
