// `graph`: the service graph as Graphviz DOT (or JSON).
import { unary } from './grpc-stack.js';
import { graphToJson, renderGraphDot } from '../render/graph-dot.js';
import { callOptions, printJson, type CommandSpec } from './command.js';

export const graphCommand: CommandSpec = {
  name: 'graph',
  args: '',
  summary: 'print the service graph as Graphviz DOT (render with `dot -Tsvg`)',
  details:
    'Nodes are filled by state (legend included); bundles are folders; dependency edges are solid (from the service ' +
    'that needs to what it needs), bundle contents dashed. --json: {"nodes":[{name,type,state}],"edges":[{from,to,kind}]}.',
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const g = await unary(await ctx.init(), 'getGraph', {}, callOptions(ctx));
    if (ctx.options.json) return printJson(ctx, graphToJson(g));
    ctx.out.write(renderGraphDot(g));
  },
};
