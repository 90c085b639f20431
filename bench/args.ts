// The command line every bench shares: --help, --quick for a shorter run, and a bench's own flags and whole-number
// options; anything else is a usage error.
import { parseArgs } from 'node:util';

/** A whole-number option's accepted range; `zero`: 0 is accepted too (it leaves a part of the bench out). */
export interface CountOption {
  min: number;
  max: number;
  zero?: boolean;
}

export interface BenchOptions {
  /** Boolean flags (`--mesh-only`), by name without the dashes. */
  flags?: readonly string[];
  /** Options taking a whole number (`--nodes N`), by name without the dashes. */
  counts?: Readonly<Record<string, CountOption>>;
}

/** What to run, or `{ exit }` when the command line was answered (help: 0) or refused (usage error: 2). */
export type BenchArgs =
  | { quick: boolean; flags: ReadonlySet<string>; counts: ReadonlyMap<string, number>; exit?: undefined }
  | { exit: number };

export function parseBenchArgs(argv: readonly string[], usage: string, options: BenchOptions = {}): BenchArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return { exit: 0 };
  }
  const flags = options.flags ?? [];
  const counts = Object.entries(options.counts ?? {});
  const spec: Record<string, { type: 'boolean' | 'string' }> = { quick: { type: 'boolean' } };
  for (const f of flags) spec[f] = { type: 'boolean' };
  for (const [name] of counts) spec[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return { exit: 2 };
  }
  const given = new Map<string, number>();
  for (const [name, range] of counts) {
    const text = values[name];
    if (typeof text !== 'string') continue;
    const n = Number(text);
    if (!Number.isInteger(n) || ((n < range.min || n > range.max) && !(range.zero && n === 0))) {
      console.error(`--${name}: expected ${range.zero ? '0 or ' : ''}an integer ${range.min}..${range.max}, got ${JSON.stringify(text)}\n${usage}`);
      return { exit: 2 };
    }
    given.set(name, n);
  }
  return { quick: values.quick === true, flags: new Set(flags.filter((f) => values[f] === true)), counts: given };
}
