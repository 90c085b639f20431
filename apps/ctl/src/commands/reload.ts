// `reload`: init loads the service tree again and adopts it (as SIGHUP); a bundle that could not boot boots now.
import { unary } from './grpc-stack.js';
import { callOptions, printJson, type CommandSpec } from './command.js';

const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(', ') : '-');

export const reloadCommand: CommandSpec = {
  name: 'reload',
  args: '',
  summary: 'load the service tree again and adopt it (as SIGHUP)',
  details:
    'Added services start when a wanted bundle holds them, removed ones stop, changed ones take their new definition ' +
    'at their next start. If the tree could not boot before, it boots now, or the reason it still cannot is printed. ' +
    '--json: {"added": [...], "removed": [...], "changed": [...], "failed": [...], "cannotBoot": "..."}.',
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const r = await unary(await ctx.init(), 'reload', {}, callOptions(ctx));
    if (ctx.options.json) {
      printJson(ctx, { added: r.added, removed: r.removed, changed: r.changed, failed: r.failed, cannotBoot: r.cannotBoot });
      return;
    }
    ctx.out.line(`added: ${list(r.added)}`);
    ctx.out.line(`removed: ${list(r.removed)}`);
    ctx.out.line(`changed: ${list(r.changed)}`);
    ctx.out.line(`failed: ${list(r.failed)}`);
    if (r.cannotBoot) ctx.out.line(`cannot boot: ${r.cannotBoot}`);
  },
};
