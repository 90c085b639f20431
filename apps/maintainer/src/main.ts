// fortros-maintainer: the command line. Parse options, run the daemon, signal readiness, stop on SIGTERM/SIGINT.
import { createLogger, createStderrSink } from '@fortros/log';
import { notifyReady } from '@fortros/readiness';
import { Daemon } from './daemon.js';
import { UsageError } from './errors.js';
import { parseCommandLine, USAGE } from './node/options.js';

const EXIT_USAGE = 2;
/** How long queued log lines may take to drain at exit, in ms. */
const EXIT_FLUSH_TIMEOUT_MS = 500;

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fortros-maintainer: ${err.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = cmd.options;
  const logger = createLogger({ sink: createStderrSink(), format: o.logFormat, level: o.logLevel });
  const daemon = new Daemon(o, { log: logger, onReady: () => notifyReady(o.notifyFd) });
  // signal handlers only record the request; the stop sequence runs once, below
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
  });
  try {
    await Promise.race([daemon.start(), stopRequested]);
  } catch (err) {
    logger.error('fortros-maintainer failed to start', { component: 'maintainer', err });
    await daemon.stop();
    return 1;
  }
  const signal = await stopRequested;
  logger.info('stopping', { component: 'maintainer', signal });
  await daemon.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
  },
  (err: unknown) => {
    console.error('fortros-maintainer: fatal:', err);
    process.exit(1);
  },
);
