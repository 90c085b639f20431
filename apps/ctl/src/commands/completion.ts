// `completion bash`: the shell completion script; `completion services`: the service names it offers (asked of init).
import { UsageError } from '../errors.js';
import { bashCompletion } from '../render/bash-completion.js';
import { GLOBAL_FLAGS } from '../cli/global-options.js';
import { callOptions, type CommandSpec } from './command.js';
import { unary } from './grpc-stack.js';

const SHELLS = ['bash'];

/** The completion command over `commands` (the registry passes its own list, so this file never imports it: no cycle). */
export const completionCommand = (commands: () => readonly CommandSpec[]): CommandSpec => ({
  name: 'completion',
  args: 'bash|services',
  summary: 'print the bash completion script (eval "$(fortctl completion bash)")',
  details:
    'bash       the script: commands, flags, subcommands, and service names (which it asks of init with\n' +
    '           `fortctl completion services`, passing on --root and --socket from the line being completed).\n' +
    'services   the names init supervises, one a line (nothing, exit 0, when init is unreachable).',
  flags: {},
  positionals: { min: 1, max: 1 },
  completions: [...SHELLS, 'services'],
  async run(ctx, { positionals: [what] }) {
    if (what === 'services') {
      const res = await unary(await ctx.init(), 'listServices', {}, callOptions(ctx)).catch(() => undefined);
      for (const name of (res?.services ?? []).map((s) => s.name).sort()) ctx.out.line(name);
      return;
    }
    if (!SHELLS.includes(what!)) throw new UsageError(`completion: expected bash or services, got ${JSON.stringify(what)}`, 'completion');
    const flagsOf = (flags: CommandSpec['flags']): string[] =>
      Object.entries(flags).flatMap(([name, f]) => (f.short ? [`--${name}`, `-${f.short}`] : [`--${name}`]));
    const entries = commands().map((c) => ({ name: c.name, flags: flagsOf(c.flags), words: c.completions ?? [], services: c.completesServices === true }));
    const valueFlags = Object.entries(GLOBAL_FLAGS).filter(([, f]) => f.type === 'string').map(([n]) => n);
    ctx.out.line(bashCompletion(entries, Object.keys(GLOBAL_FLAGS), valueFlags));
  },
});
