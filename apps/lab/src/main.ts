// fortros-lab: a lab cluster of full FortrOS nodes in network namespaces on one machine (see README.md).
import { runCli } from './cli/run-cli.js';
import type { CliContext } from './cli/context.js';

const context = (base: string): CliContext => ({
  base,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  onInterrupt(cleanup) {
    const handler = (signal: NodeJS.Signals): void => {
      void cleanup().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    return () => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    };
  },
});

process.exitCode = await runCli(process.argv.slice(2), process.env, context);
