// `services [--watch]` and `status NAME...`: what init supervises and how each service is doing.
import type { InitV1 } from '@fortros/proto';
import { serviceToJson } from '@fortros/views';
import { renderServicesTable, renderServiceStatus } from '../render/service-text.js';
import { callOptions, printJson, type CommandContext, type CommandSpec } from './command.js';
import { eachService } from './each-service.js';
import { serverStream, unary } from './grpc-stack.js';
import { printStream } from './stream-output.js';

/** Home the cursor and clear the screen (a terminal redraws the table in place). */
const CLEAR_SCREEN = '\u001b[H\u001b[2J';

function sortedByName(services: readonly InitV1.Service__Output[]): InitV1.Service__Output[] {
  return [...services].sort((a, b) => a.name.localeCompare(b.name));
}

async function printServices(ctx: CommandContext, client: InitV1.InitClient, watching: boolean): Promise<void> {
  const res = await unary(client, 'listServices', {}, callOptions(ctx));
  const services = res.services ?? [];
  if (ctx.options.json) {
    const json = sortedByName(services).map(serviceToJson);
    return watching ? ctx.out.line(JSON.stringify(json)) : printJson(ctx, json);
  }
  const table = renderServicesTable(services, ctx.now(), ctx.out.colour);
  if (watching && ctx.out.colour) ctx.out.write(CLEAR_SCREEN);
  for (const line of table) ctx.out.line(line);
  if (watching && !ctx.out.colour) ctx.out.line('');
}

/**
 * The table again after every state transition until interrupted. The event stream is opened first (its first
 * messages are the current states), so no transition between the first table and the subscription is missed;
 * transitions that arrive while a table is being fetched make one more fetch, not one each.
 */
async function watchServices(ctx: CommandContext, client: InitV1.InitClient): Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  let failure: unknown;
  const refresh = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await printServices(ctx, client, true).catch((err: unknown) => void (failure ??= err));
      } while (again && !ctx.signal.aborted && failure === undefined);
    })().finally(() => (running = undefined));
  };
  await printStream(
    ctx,
    { command: 'services --watch', daemon: 'fortros-init', socket: ctx.options.socket },
    () => serverStream(client, 'watchEvents', { services: [], includeCurrent: true }, { timeoutMs: 0, signal: ctx.signal }),
    () => refresh(),
  );
  await running;
  if (failure !== undefined && !ctx.signal.aborted) throw failure;
}

export const servicesCommand: CommandSpec = {
  name: 'services',
  args: '',
  summary: 'list every service with its type, state and why it is not ready',
  details:
    'With --json: an array of service objects (see README: JSON fields). With --watch: the list again after every ' +
    'state change until Ctrl-C (on a terminal redrawn in place; otherwise tables separated by a blank line; --json: ' +
    'one array per line).',
  flags: { watch: { type: 'boolean', short: 'w', help: 'print the list again after every state change, until interrupted' } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { flags }) {
    const client = await ctx.init();
    if (flags['watch'] === true) await watchServices(ctx, client);
    else await printServices(ctx, client, false);
  },
};

export const statusCommand: CommandSpec = {
  name: 'status',
  args: 'NAME...',
  summary: "each service's state, what it waits on, its reason and last exit",
  details:
    'Exit 1 if there is no such service (the closest name init knows is suggested). With --json: one service object, ' +
    'or an array of them for several NAMEs. Several NAMEs print one block each, separated by a blank line.',
  flags: {},
  positionals: { min: 1, max: Infinity },
  completesServices: true,
  async run(ctx, { positionals }) {
    const client = await ctx.init();
    let blocks = 0;
    await eachService(ctx, positionals, {
      command: 'status',
      call: (name) => unary(client, 'getService', { name }, callOptions(ctx)),
      show: (s) => {
        if (blocks++ > 0) ctx.out.line('');
        for (const line of renderServiceStatus(s, ctx.now())) ctx.out.line(line);
      },
    });
  },
};
