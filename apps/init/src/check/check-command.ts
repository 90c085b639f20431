// `fortros-init check [--root DIR] [--source DIR]...`: load the service tree, print the resolved graph and every
// problem, and exit 0 (no problem), 1 (problems) or 2 (usage error).
import { parseArgs } from 'node:util';
import { formatCheckReport, loadServiceTree, SERVICES_DIR_UNDER_ROOT } from '@fortros/servicedir';
import { UsageError } from '../errors.js';
import { treeLocation } from '../options.js';

export interface CheckOutput {
  /** Receives whole chunks of text, each ending with a newline. */
  stdout(s: string): void;
  stderr(s: string): void;
}

export const CHECK_EXIT_OK = 0;
export const CHECK_EXIT_PROBLEMS = 1;
export const CHECK_EXIT_USAGE = 2;

export const CHECK_USAGE = `usage: fortros-init check [--root DIR] [--source DIR]...

Load the service tree (s6-rc source format), print the resolved graph and every problem.
  --root DIR     node root (default: $FORTROS_ROOT, else /)
  --source DIR   a source directory; repeat for several (default: <root>/${SERVICES_DIR_UNDER_ROOT})
  -h, --help     show this help
Exit status: 0 no problem, 1 problems found, 2 usage error.
`;

/**
 * Run `check`. `argv` holds the arguments after the word `check`; `env` supplies FORTROS_ROOT (defaults to
 * process.env). Returns the exit code; never exits the process itself.
 */
export async function runCheck(argv: string[], out: CheckOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { root?: string; source?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        source: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    out.stderr(`fortros-init check: ${(err as Error).message}\n${CHECK_USAGE}`);
    return CHECK_EXIT_USAGE;
  }
  if (values.help) {
    out.stdout(CHECK_USAGE);
    return CHECK_EXIT_OK;
  }
  let sources: string[];
  try {
    ({ sources } = treeLocation(values, env));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.stderr(`fortros-init check: ${err.message}\n${CHECK_USAGE}`);
    return CHECK_EXIT_USAGE;
  }
  const tree = await loadServiceTree(sources);
  const report = formatCheckReport(tree);
  out.stdout(report.text);
  return report.ok ? CHECK_EXIT_OK : CHECK_EXIT_PROBLEMS;
}
