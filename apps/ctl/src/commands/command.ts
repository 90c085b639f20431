// What a command is (its flags, arguments and run function) and what it gets to run with.
import type { InitV1 } from '@fortros/proto';
import type { CallOptions } from '@fortros/rpc';

/** Where a command writes: stdout lines and raw text, and stderr lines. */
export interface Output {
  /** `text` and a newline on stdout. */
  line(text: string): void;
  /** `text` as is on stdout. */
  write(text: string): void;
  /** `text` and a newline on stderr. */
  error(text: string): void;
  /** Raw bytes on stdout (key derive --format raw). */
  bytes?(data: Uint8Array): void;
  /** stdout is a terminal that takes colour (cli/terminal-output.ts); absent: no colour. */
  colour?: boolean;
}

/** The global flags, normalised once (cli/global-options.ts). */
export interface GlobalOptions {
  /** Absolute node root. */
  root: string;
  /** Absolute path of init's socket. */
  socket: string;
  /** The --socket flag made absolute, when given: commands for another daemon (key) use it over their own default. */
  socketOverride?: string | undefined;
  json: boolean;
  /** Deadline of one call in ms; 0 = none. */
  timeoutMs: number;
}

export interface CommandContext {
  options: GlobalOptions;
  out: Output;
  /** Aborted on SIGINT/SIGTERM: streams end, calls are cancelled. */
  signal: AbortSignal;
  /** The init client, connected on first use (DaemonUnreachableError when the socket is missing). */
  init(): Promise<InitV1.InitClient>;
  now(): Date;
  /** Write a whole file (plot -o). */
  writeFile(path: string, data: string): Promise<void>;
  /** Standard input, whole, as text (workload put -); UsageError past `maxBytes`. */
  readStdin(maxBytes: number): Promise<string>;
}

/** A flag of one command, as node:util parseArgs takes it, plus its help. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder of the value in help (`N`, `FILE`). */
  value?: string;
  help: string;
}

export interface Invocation {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

export interface CommandSpec {
  name: string;
  /** Arguments as shown in usage: `NAME [SIG]`. */
  args: string;
  summary: string;
  /** More help, shown by `fortctl COMMAND --help`. */
  details?: string;
  flags: Record<string, FlagSpec>;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  /** Words completion offers for the first argument (subcommands); service names when `completesServices`. */
  completions?: readonly string[];
  completesServices?: boolean;
  /** Resolves on success; throws UsageError, OperationFailedError, DaemonUnreachableError or RpcCallError. */
  run(ctx: CommandContext, inv: Invocation): Promise<void>;
}

/** Options of one unary call: the global deadline and the interrupt signal. */
export function callOptions(ctx: CommandContext, timeoutMs = ctx.options.timeoutMs): CallOptions {
  return { timeoutMs, signal: ctx.signal };
}

/** Print `value` as one JSON document. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.out.line(JSON.stringify(value, null, 2));
}
