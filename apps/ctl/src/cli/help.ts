// Help texts: the overview (`fortctl --help`) and one command's (`fortctl COMMAND --help`).
import type { CommandSpec, FlagSpec } from '../commands/command.js';
import { COMMANDS } from '../commands/registry.js';
import { GLOBAL_FLAGS } from './global-options.js';

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => {
    const value = f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : '';
    return [`${f.short ? `-${f.short}, ` : '    '}--${name}${value}`, f.help] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`);
}

const EXIT_CODES = 'Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 the daemon (init, keys, maintainer) is unreachable.';

export function usageLine(c: CommandSpec): string {
  const flags = Object.keys(c.flags).length ? ' [flags]' : '';
  return `fortctl ${c.name}${c.args ? ` ${c.args}` : ''}${flags}`;
}

export function overviewHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  return [
    'fortctl: control the node (fortros-init, its key service and maintainer) over their gRPC sockets.',
    '',
    'Usage: fortctl [global flags] COMMAND [ARGS] [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    'Global flags (anywhere on the line):',
    ...flagLines(GLOBAL_FLAGS),
    '',
    EXIT_CODES,
    "Run 'fortctl COMMAND --help' for a command's flags and output.",
  ].join('\n');
}

/** After a usage error that names no command: the usage line and the command list. */
export function shortOverview(): string {
  return [
    'Usage: fortctl [global flags] COMMAND [ARGS] [flags]',
    `Commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
    "Run 'fortctl --help' for more.",
  ].join('\n');
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`Usage: ${usageLine(c)}`, '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`];
  if (c.details) lines.push('', c.details);
  if (Object.keys(c.flags).length) lines.push('', 'Flags:', ...flagLines(c.flags));
  lines.push('', 'Global flags:', ...flagLines(GLOBAL_FLAGS), '', EXIT_CODES);
  return lines.join('\n');
}
