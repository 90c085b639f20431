// `workloads [--all]` and `workload logs ID [-f] [-n N]`: fortros-reconciler's view of this node's workloads (and,
// with --all, every node's observed statuses through the maintainer).
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ReconcilerV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, serverStream, StatusCode, unary } from '@fortros/rpc';
import { DEFAULT_LOG_LINES, RECONCILER_SOCKET_PATH } from '../constants.js';
import { DaemonUnreachableError } from '../errors.js';
import { formatLogLine } from '../render/stream-lines.js';
import { isoOf } from '../render/service-json.js';
import { observedToJson, renderObservedTable, statusToJson } from '../render/workload-json.js';
import { callOptions, printJson, type CommandContext, type CommandSpec, type Invocation } from './command.js';
import { withMaintainer } from './maintainer-connection.js';
import { printStream } from './stream-output.js';
import { parseCount } from './streams.js';

/** `--socket` when given, else `<root>/run/fortros/reconciler.sock`. */
function reconcilerSocket(ctx: CommandContext): string {
  return ctx.options.socketOverride ?? join(ctx.options.root, RECONCILER_SOCKET_PATH);
}

/** Run `body` with a reconciler client; a missing socket or UNAVAILABLE is DaemonUnreachableError naming it (exit 3). */
async function withReconciler<T>(ctx: CommandContext, body: (client: ReconcilerV1.ReconcilerClient) => Promise<T>): Promise<T> {
  const socket = reconcilerSocket(ctx);
  const st = await lstat(socket).catch((err: NodeJS.ErrnoException) => {
    throw new DaemonUnreachableError(`cannot reach fortros-reconciler: ${socket}: ${err.code ?? err.message} (is the reconciler running? see --root, --socket)`, socket);
  });
  if (!st.isSocket()) throw new DaemonUnreachableError(`cannot reach fortros-reconciler: ${socket} is not a socket`, socket);
  const client = createClient<ReconcilerV1.ReconcilerClient>(ReconcilerV1.loadReconcilerApi(), socket);
  try {
    return await body(client);
  } catch (err) {
    if (err instanceof RpcCallError && err.code === StatusCode.UNAVAILABLE) {
      throw new DaemonUnreachableError(`cannot reach fortros-reconciler at ${socket}: ${err.details} (UNAVAILABLE)`, socket);
    }
    throw err;
  } finally {
    closeClient(client);
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
    `Talks to fortros-reconciler on <root>/${RECONCILER_SOCKET_PATH}; --all asks fortros-maintainer instead (ListObserved).`,
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
