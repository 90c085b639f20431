// Command-line parsing: find the command, then parse global and command flags together (globals go anywhere).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import type { CommandSpec, FlagSpec, Invocation } from '../commands/command.js';
import { COMMANDS, findCommand } from '../commands/registry.js';
import { didYouMean } from '../render/suggest.js';
import { GLOBAL_FLAGS, type RawGlobals } from './global-options.js';

export interface ParsedLine {
  /** Undefined when no command was given. */
  command: CommandSpec | undefined;
  /** The command word as typed (set even when it is unknown). */
  commandWord: string | undefined;
  globals: RawGlobals;
  help: boolean;
  version: boolean;
  inv: Invocation;
}

/** Index of the first token that is neither a global flag nor a global flag's value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!t.startsWith('-') || t === '-') return i;
    if (t.startsWith('--') && !t.includes('=') && GLOBAL_FLAGS[t.slice(2)]?.type === 'string') i++;
  }
  return -1;
}

function toParseArgsOptions(flags: Readonly<Record<string, FlagSpec>>): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, f] of Object.entries(flags)) options[name] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  return options;
}

/** node:util's messages, shortened to what a person needs. */
function usageMessage(err: Error & { code?: string }): string {
  const opt = /'([^']+)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) return `unknown flag ${opt}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt) return `flag ${opt.replace(/ <value>$/, '')}: ${/argument missing/.test(err.message) ? 'missing its value' : 'takes no value'}`;
  return err.message;
}

/** `unknown command "stauts"; did you mean "status"?` */
function unknownCommand(word: string): UsageError {
  return new UsageError(`unknown command ${JSON.stringify(word)}${didYouMean(word, [...COMMANDS.map((c) => c.name), 'help'])}`);
}

/** Parse argv (without node and script). Throws UsageError for an unknown command or flag. */
export function parseCommandLine(argv: readonly string[]): ParsedLine {
  const at = commandIndex(argv);
  const commandWord = at >= 0 ? argv[at] : undefined;
  const command = commandWord === undefined ? undefined : findCommand(commandWord);
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : [...argv];
  const flags = { ...GLOBAL_FLAGS, ...(command?.flags ?? {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: toParseArgsOptions(flags), allowPositionals: true, strict: true });
  } catch (err) {
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    if (commandWord !== undefined && !command && !wantsHelp) throw unknownCommand(commandWord);
    throw new UsageError(usageMessage(err as Error & { code?: string }), command?.name);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values['help'] === true;
  if (commandWord !== undefined && !command && commandWord !== 'help') throw unknownCommand(commandWord);
  const { root, socket, json, timeout, help: _help, ...own } = values;
  // --version is fortctl's own unless the command has a flag of that name (key derive --version V).
  const commandsVersion = command?.flags['version'] !== undefined;
  const version = !commandsVersion && own['version'] === true;
  if (!commandsVersion) delete own['version'];
  return { command, commandWord, globals: { root, socket, json, timeout }, help, version, inv: { positionals: parsed.positionals, flags: own } };
}
