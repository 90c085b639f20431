// fortros-init: the command line. `check` validates a tree; otherwise boot it and supervise (PID 1).
import { ExitCode, SignalRouter, unusedSignals, UsageError } from '@fortros/daemon';
import { createLogger, createStderrSink } from '@fortros/log';
import { boot } from './boot.js';
import { runCheck } from './check/check-command.js';
import { EXIT_FLUSH_TIMEOUT_MS, MAX_EARLY_SIGNALS } from './constants.js';
import { parseCommandLine, USAGE } from './options.js';

/**
 * The daemons' signal plumbing (@fortros/daemon), installed before anything else happens at boot and uninstalled
 * when main returns. Init is PID 1, not a daemonMain: its components are the supervisor's services, its loop the
 * supervisor's, and it handles SIGUSR1 and SIGCHLD too.
 */
const USED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGUSR1', 'SIGHUP', 'SIGCHLD'];
/** Under `node --cpu-prof`, V8's sampler needs SIGPROF: left alone then, so init can be profiled (bench/README.md). */
const PROFILING = process.execArgv.some((a) => a.startsWith('--cpu-prof'));
// every other signal that would kill or stop init is caught and only logged (DESIGN §4: a subreaper never dies of one)
const UNUSED_SIGNALS = unusedSignals(USED_SIGNALS).filter((s) => !(PROFILING && s === 'SIGPROF'));
const signals = new SignalRouter(process, USED_SIGNALS, MAX_EARLY_SIGNALS, UNUSED_SIGNALS);

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fortros-init: ${err.message}\n${USAGE}`);
    return ExitCode.usage;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return ExitCode.ok;
  }
  if (cmd.command === 'check') {
    return runCheck(cmd.argv, { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) });
  }
  signals.install(); // a signal during the tree load is recorded and delivered once boot attaches its handler
  // one sink for log records and service output alike: one writer on fd 2, never blocking
  const sink = createStderrSink();
  const logger = createLogger({ sink, format: cmd.logFormat, level: cmd.logLevel });
  signals.onUnused((signal) => logger.warn('signal ignored', { component: 'init', signal }));
  try {
    if (process.pid === 1) {
      // PID 1 never exits on an unexpected error: log it and carry on (the kernel would panic).
      process.on('uncaughtException', (err) => logger.error('unexpected error (PID 1 carries on)', { component: 'init', err }));
      process.on('unhandledRejection', (err) => logger.error('unhandled rejection (PID 1 carries on)', { component: 'init', err: err as Error }));
    }
    return await boot(cmd, {
      logger,
      sink,
      env: process.env,
      onSignal: (signal, handler) => signals.attach(signal, handler),
    });
  } catch (err) {
    logger.error('fortros-init failed', { component: 'init', err });
    return ExitCode.failed;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    signals.uninstall();
    // queued log lines drain on their own; do not wait for ever on a stuck stderr reader
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
  },
  (err: unknown) => {
    console.error('fortros-init: fatal:', err);
    process.exit(1);
  },
);
