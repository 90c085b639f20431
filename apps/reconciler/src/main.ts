// fortros-reconciler: the command line. Parse options, run the daemon, signal readiness; SIGTERM/SIGINT stop it and
// leave every workload running.
import { createLogger, createStderrSink } from '@fortros/log';
import { notifyReady } from '@fortros/readiness';
import { EXIT_FLUSH_TIMEOUT_MS } from './constants.js';
import { ReconcilerDaemon } from './daemon/reconciler-daemon.js';
import { UsageError } from './errors.js';
import { parseCommandLine, USAGE } from './options.js';

const EXIT_USAGE = 2;
const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type HandledSignal = (typeof HANDLED_SIGNALS)[number];

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fortros-reconciler: ${err.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = cmd.options;
  const logger = createLogger({ sink: createStderrSink(), format: o.logFormat, level: o.logLevel });
  const log = logger.child({ component: 'reconciler' });
  // The handler only records the signal; the code below acts on it (STYLE §6).
  const stopSignal = new Promise<HandledSignal>((resolve) => {
    for (const s of HANDLED_SIGNALS) process.on(s, () => resolve(s));
  });
  const daemon = new ReconcilerDaemon(
    { root: o.root, socketPath: o.socketPath, maintainerSocketPath: o.maintainerSocketPath, keysSocketPath: o.keysSocketPath },
    { logger, onReady: () => notifyReady(o.notifyFd) },
  );
  const started = daemon.start().then(
    () => undefined,
    (err: unknown) => err,
  );
  const first = await Promise.race([started, stopSignal]);
  if (first instanceof Error || (first !== undefined && typeof first !== 'string')) {
    log.error('fortros-reconciler could not start', { err: first instanceof Error ? first.message : String(first) });
    await daemon.stop();
    return 1;
  }
  const signal = typeof first === 'string' ? first : await stopSignal;
  log.info('stopping; workloads keep running', { signal });
  await daemon.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    for (const s of HANDLED_SIGNALS) process.removeAllListeners(s);
    // queued log lines drain on their own; do not wait for ever on a stuck stderr reader
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
  },
  (err: unknown) => {
    console.error('fortros-reconciler: fatal:', err);
    process.exit(1);
  },
);
