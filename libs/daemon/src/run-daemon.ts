// The one daemon skeleton: parse, log, start components in order, signal readiness, one signal loop, stop in reverse.
import { BoundedQueue, type HostPort } from '@fortros/core';
import { createLogger, createStderrSink, type Logger, type LogFormat, type LogLevel } from '@fortros/log';
import { notifyReady } from '@fortros/readiness';
import type { Registry } from 'prom-client';
import { EXIT_FLUSH_TIMEOUT_MS, KEEP_ALIVE_INTERVAL_MS, SIGNAL_QUEUE_MAX } from './constants.js';
import { RefusedFileError, UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { MetricsServer, newMetricsRegistry } from './metrics-server.js';
import { SignalRouter, type SignalSource } from './signal-router.js';
import { ComponentStack, type Startable } from './startable.js';

/** The signals every daemon handles: TERM and INT stop it, HUP calls the program's onHangup. */
export const DAEMON_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** What the skeleton itself reads from a program's options. */
export interface CommonOptions {
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** s6 readiness: a newline on this fd once every component is ready. */
  notifyFd: number | undefined;
  /** Serve Prometheus text on http://HOST:PORT/metrics. */
  metrics: HostPort | undefined;
}

export interface DaemonContext {
  logger: Logger;
  /** The daemon's metrics registry; served, with prom-client's process metrics, only with --metrics. */
  metrics: Registry;
}

export interface DaemonParts {
  /** In start order; stopped in reverse. */
  components: Startable[];
  /** SIGHUP, once started (one that comes while starting runs right after). Default: logged and ignored. */
  onHangup?: () => Promise<void>;
}

export interface DaemonProgram<O> {
  /** `fortros-keys`: messages, and the metrics prefix (`fortros_keys_`). */
  name: string;
  usage: string;
  /** argv (after node and script) and env → options; throws UsageError (or a subclass) naming the flag. */
  parse(argv: readonly string[], env: NodeJS.ProcessEnv): { command: 'help' } | { command: 'run'; options: O };
  common(options: O): CommonOptions;
  build(options: O, ctx: DaemonContext): DaemonParts;
}

/** What runDaemon talks to; `process` in production. */
export interface DaemonIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  signals: SignalRouter;
}

/** Runs `program` to its end and returns its exit code (ExitCode). */
export async function runDaemon<O>(program: DaemonProgram<O>, io: DaemonIo): Promise<number> {
  io.signals.install(); // no-op when main installed it already; from here a signal is queued, never fatal
  let cmd;
  try {
    cmd = program.parse(io.argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`${program.name}: ${err.message}\n${program.usage}`);
    return ExitCode.usage;
  }
  if (cmd.command === 'help') {
    io.stdout(program.usage);
    return ExitCode.ok;
  }
  const common = program.common(cmd.options);
  const logger = createLogger({ sink: createStderrSink(), format: common.logFormat, level: common.logLevel });
  const log = logger.child({ component: program.name.replace(/^fortros-/, '') });

  // Signal handlers only enqueue; the loop below acts on one at a time.
  const queue = new BoundedQueue<NodeJS.Signals>({ max: SIGNAL_QUEUE_MAX, onFull: 'drop-newest', what: 'signals' });
  for (const s of DAEMON_SIGNALS) io.signals.attach(s, () => void queue.push(s));

  // the daemon's own metrics are always counted; prom-client's process metrics only when they are served
  const registry = newMetricsRegistry(`${program.name.replace(/-/g, '_')}_`, { processMetrics: common.metrics !== undefined });
  let parts: DaemonParts;
  try {
    parts = program.build(cmd.options, { logger, metrics: registry });
  } catch (err) {
    log.error('could not start', { err: err as Error });
    return ExitCode.failed;
  }
  const metrics = common.metrics ? [new MetricsServer({ registry, logger: log }, common.metrics)] : [];
  const stack = new ComponentStack([...metrics, ...parts.components], log);

  // Signal listeners do not keep Node's event loop alive; this does, until the daemon has stopped.
  const keepAlive = setInterval(() => undefined, KEEP_ALIVE_INTERVAL_MS);
  try {
    return await runStack(stack, parts, queue, log, common);
  } finally {
    clearInterval(keepAlive);
  }
}

async function runStack(stack: ComponentStack, parts: DaemonParts, queue: BoundedQueue<NodeJS.Signals>, log: Logger, common: CommonOptions): Promise<number> {
  let started = false;
  let hangupWhileStarting = false;
  const hangup = async (): Promise<void> => {
    if (parts.onHangup) await parts.onHangup().catch((err: unknown) => log.error('SIGHUP failed', { err: err as Error }));
    else log.info('SIGHUP: nothing to reload');
  };
  // The loop: SIGHUP calls the hook (once started); SIGTERM or SIGINT ends the loop with that signal.
  const stopSignal = (async (): Promise<NodeJS.Signals> => {
    for (;;) {
      const s = (await queue.next())!;
      if (s !== 'SIGHUP') return s;
      if (started) await hangup();
      else hangupWhileStarting = true;
    }
  })();

  const outcome = await Promise.race([
    stack.start().then(
      () => ({ kind: 'started' as const }),
      (err: unknown) => ({ kind: 'failed' as const, err }),
    ),
    stopSignal.then((signal) => ({ kind: 'stop' as const, signal })),
  ]);
  if (outcome.kind === 'failed') {
    log.error('could not start', { err: outcome.err as Error });
    await stack.stop();
    return outcome.err instanceof RefusedFileError ? ExitCode.usage : ExitCode.failed;
  }
  if (outcome.kind === 'started') {
    started = true;
    stack.ready().then(
      () => {
        try {
          notifyReady(common.notifyFd);
        } catch (err) {
          log.error('could not signal readiness', { err: err as Error });
        }
      },
      (err: unknown) => log.error('never became ready', { err: err as Error }),
    );
    if (hangupWhileStarting) await hangup();
  }
  // Stopped by a signal (exit 0), or a component failed for good after start (exit 1, so init restarts the daemon).
  const end = outcome.kind === 'stop' ? outcome : await Promise.race([stopSignal.then((signal) => ({ kind: 'stop' as const, signal })), stack.failed().then((f) => ({ kind: 'component-failed' as const, ...f }))]);
  if (end.kind === 'stop') log.info('stopping', { signal: end.signal });
  else log.error('component failed, stopping', { part: end.component, err: end.err });
  await stack.stop();
  log.info('stopped');
  return end.kind === 'stop' ? ExitCode.ok : ExitCode.failed;
}

/**
 * The whole main of a daemon: run `program` on `process`, then exit with its code once queued log lines drained or
 * EXIT_FLUSH_TIMEOUT_MS passed. Pass the router a main module created on its first line, so no early signal is lost.
 */
export function daemonMain<O>(program: DaemonProgram<O>, signals = new SignalRouter(process as SignalSource, DAEMON_SIGNALS)): void {
  const io: DaemonIo = {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    signals,
  };
  runDaemon(program, io).then(
    (code) => {
      process.exitCode = code;
      signals.uninstall();
      // queued log lines drain on their own; do not wait for ever on a stuck stderr reader
      setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
    },
    (err: unknown) => {
      process.stderr.write(`${program.name}: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(ExitCode.failed);
    },
  );
}
