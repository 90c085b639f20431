// `services` and `status NAME`: what init supervises and how each service is doing.
import { unary } from './grpc-stack.js';
import { serviceToJson } from '../render/service-json.js';
import { renderServicesTable, renderServiceStatus } from '../render/service-text.js';
import { callOptions, printJson, type CommandSpec } from './command.js';

export const servicesCommand: CommandSpec = {
  name: 'services',
  args: '',
  summary: 'list every service with its type, state and why it is not ready',
  details: 'With --json: an array of service objects (see README: JSON fields).',
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const res = await unary(await ctx.init(), 'listServices', {}, callOptions(ctx));
    const services = res.services ?? [];
    if (ctx.options.json) return printJson(ctx, [...services].sort((a, b) => a.name.localeCompare(b.name)).map(serviceToJson));
    for (const line of renderServicesTable(services, ctx.now())) ctx.out.line(line);
  },
};

export const statusCommand: CommandSpec = {
  name: 'status',
  args: 'NAME',
  summary: "one service's state, what it waits on, its reason and last exit",
  details: 'Exit 1 if there is no such service. With --json: one service object.',
  flags: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals: [name] }) {
    const s = await unary(await ctx.init(), 'getService', { name: name! }, callOptions(ctx));
    if (ctx.options.json) return printJson(ctx, serviceToJson(s));
    for (const line of renderServiceStatus(s, ctx.now())) ctx.out.line(line);
  },
};
