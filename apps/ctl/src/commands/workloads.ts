// `workloads [--all]` and `workload logs ID [-f] [-n N]`: fortros-reconciler's view of this node's workloads (and,
// with --all, every node's observed statuses through the maintainer).
import { join } from 'node:path';
import { NODE_PATHS } from '@fortros/core';
import type { ReconcilerV1 } from '@fortros/proto';
import { isoOf } from '@fortros/views';
import { DEFAULT_LOG_LINES } from '../constants.js';
import { formatLogLine } from '../render/stream-lines.js';
import { observedToJson, renderObservedTable, statusToJson } from '../render/workload-json.js';
import { callOptions, printJson, type CommandContext, type CommandSpec, type Invocation } from './command.js';
import { withMaintainer } from './maintainer-connection.js';
import { printStream } from './stream-output.js';
import { loadProto, loadRpc, serverStream, unary } from './grpc-stack.js';
import { checkSocket, unreachableError } from './unreachable.js';
import { parseCount } from './streams.js';

/** `--socket` when given, else `<root>/run/fortros/reconciler.sock`. */
function reconcilerSocket(ctx: CommandContext): string {
  return ctx.options.socketOverride ?? join(ctx.options.root, NODE_PATHS.reconcilerSocket);
}

/** Run `body` with a reconciler client; a missing socket or UNAVAILABLE is DaemonUnreachableError naming it (exit 3). */
async function withReconciler<T>(ctx: CommandContext, body: (client: ReconcilerV1.ReconcilerClient) => Promise<T>): Promise<T> {
  const socket = reconcilerSocket(ctx);
  await checkSocket('fortros-reconciler', socket);
  const rpc = await loadRpc();
  const proto = await loadProto();
  const client = rpc.createClient<ReconcilerV1.ReconcilerClient>(proto.ReconcilerV1.loadReconcilerApi(), socket);
  try {
    return await body(client);
  } catch (err) {
    if (err instanceof rpc.RpcCallError && err.code === rpc.StatusCode.UNAVAILABLE) throw unreachableError('fortros-reconciler', socket, err.details);
    throw err;
  } finally {
    rpc.closeClient(client);
  }
}

/** Every node's observed statuses (the maintainer's ListObserved), each with its desired spec. */
async function allNodes(ctx: CommandContext): Promise<ReturnType<typeof observedToJson>[]> {
  return withMaintainer(ctx, 'workloads --all', async (client) => {
    const specs = await unary(client, 'listWorkloads', {}, callOptions(ctx));
    const byId = new Map((specs.workloads ?? []).map((w) => [w.id, JSON.parse(w.specJson) as Record<string, unknown>]));
    const observed = await unary(client, 'listObserved', { node: '', workload: '' }, callOptions(ctx));
    return (observed.statuses ?? []).map((o) => observedToJson(o.json, byId));
  });
}

export const workloadsCommand: CommandSpec = {
  name: 'workloads',
  args: '',
  summary: "this node's workloads as the reconciler observes them; with --all, every node's",
  details:
    'Table `WORKLOAD NODE PHASE PID RESTARTS SINCE LAST-EXIT REASON` sorted by workload; phases are pending, running,\n' +
    'succeeded, failed. --json: an array of the spec\'s fields plus workload, node, phase, pid, restarts, since,\n' +
    'lastExit {code, signal}, reason (DESIGN §6).\n' +
    `Talks to fortros-reconciler on <root>/${NODE_PATHS.reconcilerSocket}; --all asks fortros-maintainer instead (ListObserved),\n` +
    'where a node that is not alive has its running and pending entries shown as unknown, the reason naming it.',
  flags: { all: { type: 'boolean', help: "every node's observed statuses, from the org document" } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { flags }) {
    const rows =
      flags['all'] === true
        ? await allNodes(ctx)
        : await withReconciler(ctx, async (c) => ((await unary(c, 'listWorkloads', {}, callOptions(ctx))).workloads ?? []).map(statusToJson));
    if (ctx.options.json) return printJson(ctx, rows);
    for (const line of renderObservedTable(rows)) ctx.out.line(line);
  },
};

/** `workload logs ID [-f] [-n N]` (the `workload` command hands its `logs` subcommand here). */
export async function workloadLogs(ctx: CommandContext, id: string, { flags }: Pick<Invocation, 'flags'>): Promise<void> {
  const lines = typeof flags['lines'] === 'string' ? parseCount('-n', 'workload', flags['lines']) : DEFAULT_LOG_LINES;
  const follow = flags['follow'] === true;
  const source = { command: 'workload logs', daemon: 'fortros-reconciler', socket: reconcilerSocket(ctx) };
  await withReconciler(ctx, (client) =>
    printStream(
      ctx,
      source,
      () => serverStream(client, 'readLogs', { id, lines, follow }, { timeoutMs: follow ? 0 : ctx.options.timeoutMs, signal: ctx.signal }),
      (l) => ctx.out.line(ctx.options.json ? JSON.stringify({ workload: l.workload, at: isoOf(l.at), line: l.line }) : formatLogLine({ service: l.workload, at: l.at, line: l.line })),
    ),
  );
}
