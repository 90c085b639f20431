// `fortros-lab status`: each node's namespace, init, addresses, readiness and the live members it sees (table or --json).
import { UNDERLAY_PORT } from '../constants.js';
import { ctlOk, nodeInfo } from '../fortctl.js';
import { chooseLab, initRuns, type CliContext } from './context.js';
import { labDir, readState, type NodeState } from './state.js';

/** One fortctl call of status, kept short: a node that does not answer is reported, not waited for. */
const STATUS_CALL_MS = 10_000;

export interface NodeStatus {
  name: string;
  netns: string;
  pid: number;
  running: boolean;
  underlay: string;
  overlay: string | null;
  ready: boolean;
  /** Names of the members this node sees alive, sorted. */
  liveMembers: string[];
  /** Why the node could not say more, or null. */
  error: string | null;
}

async function nodeStatus(n: NodeState): Promise<NodeStatus> {
  const base = { name: n.name, netns: n.netns, pid: n.pid, underlay: `${n.address}:${UNDERLAY_PORT}`, overlay: null, ready: false, liveMembers: [], error: null };
  if (!initRuns(n)) return { ...base, running: false, error: n.pid === 0 ? 'never started' : 'init not running' };
  try {
    const [info, members] = await Promise.all([
      nodeInfo(n.name, n.root, STATUS_CALL_MS),
      ctlOk(n.name, n.root, ['members', '--json'], STATUS_CALL_MS).then((t) => JSON.parse(t) as { name: string; state: string }[]),
    ]);
    const live = members.filter((m) => m.state === 'alive').map((m) => m.name).sort();
    return { ...base, running: true, overlay: info.overlayIp, ready: info.ready, liveMembers: live };
  } catch (err) {
    return { ...base, running: true, error: (err as Error).message.split('\n')[0]! };
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
}

export async function status(ctx: CliContext, nameFlag: string | undefined, json: boolean): Promise<number> {
  const name = chooseLab(ctx, nameFlag);
  const state = await readState(ctx.base, name);
  const nodes = await Promise.all(state.nodes.map(nodeStatus));
  if (json) {
    ctx.out(JSON.stringify({ name, stateDir: labDir(ctx.base, name), netns: state.netns, nodes }));
    return 0;
  }
  ctx.out(`lab ${name}: ${nodes.length} node(s), bridge namespace ${state.netns}, state ${labDir(ctx.base, name)}`);
  const rows = [['NODE', 'NAMESPACE', 'INIT', 'UNDERLAY', 'OVERLAY', 'READY', 'LIVE MEMBERS']];
  for (const n of nodes) {
    const init = n.running ? String(n.pid) : `- (${n.error})`;
    const live = n.running && n.error ? n.error : n.liveMembers.join(',') || '-';
    rows.push([n.name, n.netns, init, n.underlay, n.overlay ?? '-', n.ready ? 'yes' : 'no', live]);
  }
  for (const l of table(rows)) ctx.out(l);
  return 0;
}
