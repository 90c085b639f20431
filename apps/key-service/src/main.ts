// fortros-keys: the command line. Parse options, run the daemon, signal readiness; SIGHUP retries the master key,
// SIGTERM/SIGINT stop it cleanly.
import { createLogger, createStderrSink } from '@fortros/log';
import { notifyReady } from '@fortros/readiness';
import { EXIT_FLUSH_TIMEOUT_MS } from './constants.js';
import { UsageError } from './errors.js';
import { parseCommandLine, USAGE } from './options.js';
import { KeysDaemon } from './server/keys-daemon.js';

const EXIT_USAGE = 2;
const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/** Signals as a queue: the handlers only enqueue; the loop in main() acts on them one at a time (STYLE §5). */
class SignalQueue {
  private readonly queue: HandledSignal[] = [];
  private wake: (() => void) | undefined;

  push(signal: HandledSignal): void {
    this.queue.push(signal);
    this.wake?.();
  }

  async next(): Promise<HandledSignal> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.queue.shift()!;
  }
}

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fortros-keys: ${err.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = cmd.options;
  const logger = createLogger({ sink: createStderrSink(), format: o.logFormat, level: o.logLevel });
  const log = logger.child({ component: 'keys' });
  const signals = new SignalQueue();
  for (const s of HANDLED_SIGNALS) process.on(s, () => signals.push(s));

  const daemon = new KeysDaemon(
    { root: o.root, socketPath: o.socketPath, initSocketPath: o.initSocketPath, ...(o.policyFile ? { policyFile: o.policyFile } : {}) },
    { logger, onReady: () => notifyReady(o.notifyFd) },
  );
  try {
    await daemon.start();
  } catch (err) {
    log.error('fortros-keys could not start', { err: err instanceof Error ? err.message : String(err) });
    await daemon.stop();
    return 1;
  }
  // The loop: one signal at a time, in arrival order.
  for (;;) {
    const signal = await signals.next();
    if (signal === 'SIGHUP') {
      await daemon.retryMasterKey();
      continue;
    }
    log.info('stopping', { signal });
    await daemon.stop();
    return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    for (const s of HANDLED_SIGNALS) process.removeAllListeners(s);
    // queued log lines drain on their own; do not wait for ever on a stuck stderr reader
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
  },
  (err: unknown) => {
    console.error('fortros-keys: fatal:', err);
    process.exit(1);
  },
);
