// `node`, `members [--watch]`, `org get`, `org token create`, `workload put FILE|-|list|get ID|delete ID`: fortros-maintainer's local API.
import { NODE_PATHS } from '@fortros/core';
import { readFile, stat } from 'node:fs/promises';
import { serverStream, unary } from './grpc-stack.js';
import { DEFAULT_LOG_LINES, WORKLOAD_FILE_MAX_BYTES } from '../constants.js';
import { UsageError } from '../errors.js';
import { memberEventToJson, memberToJson, nodeToJson, workloadSpec } from '@fortros/views';
import { formatMemberEvent, renderMembersTable, renderNode, renderWorkloadsTable } from '../render/maintainer-text.js';
import { callOptions, printJson, type CommandContext, type CommandSpec } from './command.js';
import { maintainerSocket, withMaintainer } from './maintainer-connection.js';
import { printStream } from './stream-output.js';
import { workloadLogs } from './workloads.js';

const SOCKET_NOTE = `Talks to fortros-maintainer on <root>/${NODE_PATHS.maintainerSocket} (--socket overrides).`;

export const nodeCommand: CommandSpec = {
  name: 'node',
  args: '',
  summary: "this node as its maintainer sees it: identity, readiness, org, counters",
  details:
    'Prints id, name, ready, orgId, address, overlayIp, publicKey, labels, incarnation, liveMembers and the gossip,\n' +
    'sync and store counters as `key: value` lines. --json: {id, name, address, overlayIp, publicKey, labels,\n' +
    `incarnation, ready, orgId, liveMembers, stats: {gossipPacketsIn, …}}.\n${SOCKET_NOTE}`,
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const node = nodeToJson(await withMaintainer(ctx, 'node', (c) => unary(c, 'getNode', {}, callOptions(ctx))));
    if (ctx.options.json) return printJson(ctx, node);
    for (const line of renderNode(node)) ctx.out.line(line);
  },
};

/** `members --watch`: one line (or JSON object) per event until Ctrl-C (exit 0); the maintainer going away exits 3. */
async function watchMembers(ctx: CommandContext): Promise<void> {
  if (ctx.signal.aborted) return;
  const source = { command: 'members --watch', daemon: 'fortros-maintainer', socket: maintainerSocket(ctx) };
  await withMaintainer(ctx, 'members', (client) =>
    printStream(
      ctx,
      source,
      () => serverStream(client, 'watchMembers', { includeCurrent: true }, { timeoutMs: 0, signal: ctx.signal }),
      (e) => {
        const j = memberEventToJson(e, ctx.now());
        ctx.out.line(ctx.options.json ? JSON.stringify(j) : formatMemberEvent(j));
      },
    ),
  );
}

export const membersCommand: CommandSpec = {
  name: 'members',
  args: '',
  summary: 'every member of the org as this node sees it; with --watch, changes as they happen',
  details:
    'Table `ID NAME STATE INCARNATION ADDRESS OVERLAY-IP LABELS`, sorted by id; states are alive, suspect, dead, left.\n' +
    '--json: an array of {id, name, state, incarnation, address, overlayIp, publicKey, labels}.\n' +
    'With --watch: first one `current` event per member and one `synced`, then join, alive, suspect, dead, left and\n' +
    'update events as `TIME TYPE ID NAME STATE inc=N ADDRESS` lines (--json: one {type, at, member} object per line),\n' +
    'until Ctrl-C (exit 0); if the maintainer stops (or the connection drops), fortctl says so on stderr and exits 3.\n' +
    SOCKET_NOTE,
  flags: { watch: { type: 'boolean', short: 'w', help: 'print member changes as they happen, until interrupted' } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { flags }) {
    if (flags['watch'] === true) return watchMembers(ctx);
    const res = await withMaintainer(ctx, 'members', (c) => unary(c, 'listMembers', {}, callOptions(ctx)));
    const members = (res.members ?? []).map(memberToJson);
    if (ctx.options.json) return printJson(ctx, members);
    for (const line of renderMembersTable(members)) ctx.out.line(line);
  },
};

export const orgCommand: CommandSpec = {
  name: 'org',
  args: 'get|token create',
  summary: 'the whole org document as JSON; or a join token for a new node',
  details:
    'org get: prints the document as one indented JSON object, with or without --json.\n' +
    'org token create [--ttl DURATION] [--uses N]: prints one line, a token this node issues (its admission\n' +
    'endpoint is in it); give it to the new node as fortros-maintainer --join-token. The secret is printed here\n' +
    `only. DURATION is N followed by s, m, h or d (default 1h); N is 1-1000 (default 1).\n${SOCKET_NOTE}`,
  flags: {
    ttl: { type: 'string', value: 'DURATION', help: 'token create: how long the token is valid (default 1h)' },
    uses: { type: 'string', value: 'N', help: 'token create: how many nodes it admits (default 1)' },
  },
  positionals: { min: 1, max: 2 },
  completions: ['get', 'token'],
  async run(ctx, { positionals, flags }) {
    const [sub, arg] = positionals;
    if (sub === 'token' && arg === 'create') {
      const ttlMs = typeof flags['ttl'] === 'string' ? parseDurationMs(flags['ttl']) : 0;
      const uses = typeof flags['uses'] === 'string' ? parseUses(flags['uses']) : 0;
      const res = await withMaintainer(ctx, 'org token create', (c) => unary(c, 'createToken', { ttlMs, uses }, callOptions(ctx)));
      return ctx.out.line(res.token);
    }
    if (sub !== 'get' || arg !== undefined) throw new UsageError(`org: unknown subcommand ${JSON.stringify(positionals.join(' '))}; expected get or token create`, 'org');
    const org = await withMaintainer(ctx, 'org get', (c) => unary(c, 'getOrg', {}, callOptions(ctx)));
    printJson(ctx, JSON.parse(org.json) as unknown);
  },
};

const DURATION_UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--ttl`: N followed by s, m, h or d. */
export function parseDurationMs(text: string): number {
  const m = /^(\d{1,7})(s|m|h|d)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new UsageError(`org token create: --ttl: expected a duration such as 30m, 1h or 7d, got ${JSON.stringify(text)}`, 'org');
  return Number(m[1]) * DURATION_UNIT_MS[m[2]!]!;
}

function parseUses(text: string): number {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1) throw new UsageError(`org token create: --uses: expected a count of 1 or more, got ${JSON.stringify(text)}`, 'org');
  return Number(text);
}

/** The text of a spec file; UsageError naming the file when it is missing, unreadable, not a file or too big. */
async function readSpecFile(file: string): Promise<string> {
  const unreadable = (err: NodeJS.ErrnoException): never => {
    throw new UsageError(`workload put: cannot read ${file}: ${err.code ?? err.message}`, 'workload');
  };
  const st = await stat(file).catch(unreadable);
  if (!st.isFile()) throw new UsageError(`workload put: ${file} is not a file`, 'workload');
  if (st.size > WORKLOAD_FILE_MAX_BYTES) throw new UsageError(`workload put: ${file} is ${st.size} bytes; expected at most ${WORKLOAD_FILE_MAX_BYTES}`, 'workload');
  return readFile(file, 'utf8').catch(unreadable);
}

const WORKLOAD_SUBCOMMANDS: Readonly<Record<string, number>> = { put: 1, list: 0, get: 1, delete: 1, logs: 1 };

/** `workload SUB [ARG]`: checks the subcommand and how many arguments it takes. */
export function workloadArgs(positionals: readonly string[]): { sub: string; arg: string } {
  const [sub, arg] = positionals;
  const want = sub === undefined ? undefined : WORKLOAD_SUBCOMMANDS[sub];
  if (want === undefined) throw new UsageError(`workload: unknown subcommand ${JSON.stringify(sub)}; expected put, list, get, delete or logs`, 'workload');
  if (positionals.length - 1 < want) throw new UsageError(`workload ${sub}: missing ${sub === 'put' ? 'FILE' : 'ID'}`, 'workload');
  if (positionals.length - 1 > want) throw new UsageError(`workload ${sub}: unexpected argument ${JSON.stringify(positionals[want + 1])}`, 'workload');
  return { sub: sub!, arg: arg ?? '' };
}

export const workloadCommand: CommandSpec = {
  name: 'workload',
  args: 'put FILE|-|list|get ID|delete ID|logs ID',
  summary: "the org's desired workloads: store a spec, list them, show or delete one",
  details:
    'put FILE    validate and store the spec in FILE (JSON, DESIGN §9; - reads standard input); prints the normalised\n' +
    '            spec once it is durable.\n' +
    '            A bad spec exits 1 with the maintainer\'s message naming the field; a missing or unreadable FILE exits 2.\n' +
    'list        table `ID DRIVER RESTART PLACEMENT RUNS` sorted by id; --json: an array of specs.\n' +
    'get ID      the spec as JSON; exit 1 if there is none.\n' +
    'delete ID   remove the spec everywhere; exit 1 if there is none. --json: {"id": ID}.\n' +
    'logs ID     the last lines of the workload\'s log on this node (fortros-reconciler); -f follows, -n N lines.\n' +
    `Specs replicate to every node.\n${SOCKET_NOTE}`,
  flags: {
    follow: { type: 'boolean', short: 'f', help: 'logs: keep printing new lines until interrupted' },
    lines: { type: 'string', short: 'n', value: 'N', help: `logs: how many of the last lines (default ${DEFAULT_LOG_LINES})` },
  },
  positionals: { min: 1, max: 2 },
  completions: Object.keys(WORKLOAD_SUBCOMMANDS),
  async run(ctx, { positionals, flags }) {
    const { sub, arg } = workloadArgs(positionals);
    if (sub === 'logs') return workloadLogs(ctx, arg, { flags });
    const command = `workload ${sub}`;
    const specJson = sub !== 'put' ? '' : arg === '-' ? await ctx.readStdin(WORKLOAD_FILE_MAX_BYTES) : await readSpecFile(arg);
    await withMaintainer(ctx, command, async (client) => {
      switch (sub) {
        case 'put':
          return printJson(ctx, workloadSpec(await unary(client, 'putWorkload', { specJson }, callOptions(ctx))));
        case 'get':
          return printJson(ctx, workloadSpec(await unary(client, 'getWorkload', { id: arg }, callOptions(ctx))));
        case 'delete': {
          const res = await unary(client, 'deleteWorkload', { id: arg }, callOptions(ctx));
          return ctx.options.json ? printJson(ctx, { id: res.id }) : ctx.out.line(`deleted workload ${res.id}`);
        }
        default: {
          const res = await unary(client, 'listWorkloads', {}, callOptions(ctx));
          const specs = (res.workloads ?? []).map(workloadSpec);
          if (ctx.options.json) return printJson(ctx, specs);
          for (const line of renderWorkloadsTable(specs)) ctx.out.line(line);
        }
      }
    });
  },
};
