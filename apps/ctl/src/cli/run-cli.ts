// The dispatcher: parse, show help or run one command with its context, and turn the outcome into an exit code.
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { CommandContext, CommandSpec, GlobalOptions, Invocation, Output } from '../commands/command.js';
import { COMMANDS, findCommand } from '../commands/registry.js';
import { didYouMean } from '../render/suggest.js';
import { InitConnection } from '../commands/init-connection.js';
import { describeFailure, ExitCode } from './exit-codes.js';
import { normaliseGlobals } from './global-options.js';
import { commandHelp, overviewHelp, shortOverview, usageLine } from './help.js';
import { parseCommandLine } from './parse-args.js';
import { readBounded } from './read-stdin.js';
import { fortctlVersion } from './version.js';

export interface CliEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  out: Output;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  now?: () => Date;
  /** Standard input (workload put -). */
  stdin?: AsyncIterable<Uint8Array | string>;
}

function checkArity(c: CommandSpec, positionals: readonly string[]): void {
  const { min, max } = c.positionals;
  if (positionals.length < min) throw new UsageError(`${c.name}: missing ${c.args.split(' ').slice(positionals.length).join(' ')}`, c.name);
  if (positionals.length > max) throw new UsageError(`${c.name}: unexpected argument ${JSON.stringify(positionals[max])}`, c.name);
}

/** Usage after a usage error: the command's when known, else the overview. */
function printUsage(out: Output, err: UsageError): void {
  const c = err.command ? findCommand(err.command) : undefined;
  out.error(c ? `Usage: ${usageLine(c)}\nRun 'fortctl ${c.name} --help' for more.` : shortOverview());
}

/** Run one command line; resolves to the exit code (never rejects). */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<ExitCode> {
  const { out, signal } = environment;
  let options: GlobalOptions;
  let command: CommandSpec;
  let inv: Invocation;
  try {
    const line = parseCommandLine(argv);
    options = normaliseGlobals(line.globals, environment.env);
    if (line.commandWord === 'help') {
      const topic = line.inv.positionals[0];
      const c = topic === undefined ? undefined : findCommand(topic);
      if (topic !== undefined && !c) throw new UsageError(`unknown command ${JSON.stringify(topic)}${didYouMean(topic, COMMANDS.map((x) => x.name))}`);
      out.line(c ? commandHelp(c) : overviewHelp());
      return ExitCode.Ok;
    }
    if (line.version && !line.help) {
      out.line(`fortctl ${fortctlVersion()}`);
      return ExitCode.Ok;
    }
    if (line.help) {
      out.line(line.command ? commandHelp(line.command) : overviewHelp());
      return ExitCode.Ok;
    }
    if (!line.command) throw new UsageError('no command given');
    command = line.command;
    inv = line.inv;
    checkArity(command, inv.positionals);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.error(`fortctl: ${err.message}`);
    printUsage(out, err);
    return ExitCode.Usage;
  }

  const connection = new InitConnection(options.socket);
  const ctx: CommandContext = {
    options,
    out,
    signal,
    init: () => connection.get(),
    now: environment.now ?? (() => new Date()),
    writeFile: (path, data) => writeFile(path, data, 'utf8'),
    readStdin: (maxBytes) => readBounded(environment.stdin, maxBytes, `${command.name}: -`),
  };
  try {
    await command.run(ctx, inv);
    return ExitCode.Ok;
  } catch (err) {
    const failure = describeFailure(err, command.name, options.socket, signal.aborted);
    out.error(failure.message);
    if (err instanceof UsageError) printUsage(out, err);
    return failure.code;
  } finally {
    connection.close();
  }
}
