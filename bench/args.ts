// The command line every bench shares: --help, and --quick for a shorter run; anything else is a usage error.

/** `{ quick }` to run, or `{ exit }` when the command line was answered (help: 0) or refused (usage error: 2). */
export type BenchArgs = { quick: boolean; exit?: undefined } | { exit: number };

export function parseBenchArgs(argv: readonly string[], usage: string): BenchArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return { exit: 0 };
  }
  const unknown = argv.filter((a) => a !== '--quick');
  if (unknown.length) {
    console.error(`unknown argument ${JSON.stringify(unknown[0])}\n${usage}`);
    return { exit: 2 };
  }
  return { quick: argv.includes('--quick') };
}
