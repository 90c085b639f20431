// `blame` and `plot`: the boot timeline as a table of slowest services and as an SVG chart.
import { unary } from './grpc-stack.js';
import { renderBlame } from '../render/blame.js';
import { renderPlotSvg } from '@fortros/views';
import { timelineToJson } from '@fortros/views';
import { callOptions, printJson, type CommandContext, type CommandSpec } from './command.js';

const TIMELINE_JSON =
  '--json: the timeline {bootStartedAt, bootCompletedAt, bootMs, entries:[{name, type, state, spawnedAt, readyAt, ' +
  'spawnedMs, readyMs, durationMs, dependencies}]} (times ISO 8601, *Ms since boot start).';

async function timeline(ctx: CommandContext) {
  return unary(await ctx.init(), 'getTimeline', {}, callOptions(ctx));
}

export const blameCommand: CommandSpec = {
  name: 'blame',
  args: '',
  summary: 'list services by time to ready (spawn to ready), slowest first, with the total boot time',
  details: `Bundles are left out; services never ready come last with their state. ${TIMELINE_JSON}`,
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const t = await timeline(ctx);
    if (ctx.options.json) return printJson(ctx, timelineToJson(t));
    for (const line of renderBlame(t, ctx.now())) ctx.out.line(line);
  },
};

export const plotCommand: CommandSpec = {
  name: 'plot',
  args: '',
  summary: 'draw the boot timeline as SVG (stdout, or -o FILE)',
  details: `One row per spawned service, bars from spawn to ready coloured by state, dependency arrows. ${TIMELINE_JSON}`,
  flags: { output: { type: 'string', short: 'o', value: 'FILE', help: 'write the SVG to FILE instead of stdout' } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { flags }) {
    const t = await timeline(ctx);
    if (ctx.options.json) return printJson(ctx, timelineToJson(t));
    const svg = renderPlotSvg(t);
    const file = flags['output'];
    if (typeof file === 'string') await ctx.writeFile(file, svg);
    else ctx.out.write(svg);
  },
};
