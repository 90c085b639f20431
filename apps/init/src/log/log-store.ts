// The logs of all services of one init: a RotatingLog (or, with `--log stdout`, a StdoutLog) per service name.
import { NODE_PATHS, serviceLogDir } from '@fortros/core';
import { join } from 'node:path';
import { createStderrSink, type LineSink, type Logger } from '@fortros/log';
import { LOG_SERVICES_MAX } from './constants.js';
import { InvalidServiceNameError, LogsNotStoredError, LogStoreClosedError } from './errors.js';
import { clockOption, loggerOption, normalizeRotatingLogOptions, type LogClock } from './log-options.js';
import { RotatingLog } from './rotating-log.js';
import type { ServiceLogReader } from './service-log.js';
import { StdoutLog } from './stdout-log.js';

export type LogOutput = 'files' | 'stdout';

export interface LogStoreOptions {
  /** The node's root (`--root`); files go to `<root>/var/log/fortros/<service>/`. */
  root: string;
  /** `files` (default) or `stdout` (`--log stdout`, for containers). */
  output?: LogOutput;
  maxFileBytes?: number;
  maxFiles?: number;
  maxQueueBytes?: number;
  clock?: LogClock;
  logger: Logger;
  /** `stdout` output: where `NAME: line` goes (default: a non-blocking sink on fd 1). */
  stdoutSink?: LineSink;
}

export type ServiceLog = RotatingLog | StdoutLog;

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const SERVICE_NAME_MAX_BYTES = 255;

export class LogStore {
  readonly output: LogOutput;
  private readonly root: string;
  private readonly logger: Logger;
  private readonly clock: LogClock;
  private readonly logs = new Map<string, ServiceLog>();
  private stdoutSink: LineSink | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: LogStoreOptions) {
    if (typeof options?.root !== 'string' || options.root === '') {
      throw new TypeError(`log store root: expected a non-empty path, got ${String(options?.root)}`);
    }
    if (options.output !== undefined && options.output !== 'files' && options.output !== 'stdout') {
      throw new TypeError(`log output: expected "files" or "stdout", got ${JSON.stringify(options.output)}`);
    }
    this.root = options.root;
    this.output = options.output ?? 'files';
    this.logger = loggerOption('log store logger', options.logger).child({ component: 'init:log' });
    this.clock = clockOption('log store clock', options.clock);
    const { maxFileBytes, maxFiles, maxQueueBytes, logger } = options;
    // Check the file options now, not at the first service's first line.
    normalizeRotatingLogOptions({ dir: join(this.root, NODE_PATHS.logDir), maxFileBytes, maxFiles, maxQueueBytes, clock: this.clock, logger });
    this.stdoutSink = options.stdoutSink;
  }

  /** Where the files of `service` live (whether or not it logged yet). */
  dirOf(service: string): string {
    checkName(service);
    return serviceLogDir(this.root, service);
  }

  /** The log of `service`, opened on first use; a log closed by its user is replaced by a fresh one. */
  for(service: string): ServiceLog {
    checkName(service);
    if (this.closing) throw new LogStoreClosedError(service);
    const existing = this.logs.get(service);
    if (existing !== undefined && !existing.isClosed) return existing;
    if (existing === undefined && this.logs.size >= LOG_SERVICES_MAX) {
      throw new RangeError(`log store: expected at most ${LOG_SERVICES_MAX} services, got one more ("${service}")`);
    }
    const log = this.output === 'stdout' ? this.openStdout(service) : this.openFiles(service, existing);
    this.logs.set(service, log);
    return log;
  }

  /** Reading `service`'s stored log (`fortctl logs`); LogsNotStoredError with `--log stdout`. */
  reader(service: string): ServiceLogReader {
    const log = this.for(service);
    if (!(log instanceof RotatingLog)) throw new LogsNotStoredError(service);
    return log;
  }

  /** Flush and close every log. Idempotent; for() throws LogStoreClosedError afterwards. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.logs.values()].map((log) => log.close())).then(() => undefined);
    return this.closing;
  }

  private openFiles(service: string, previous: ServiceLog | undefined): RotatingLog {
    const { maxFileBytes, maxFiles, maxQueueBytes } = this.options;
    return new RotatingLog({
      dir: this.dirOf(service),
      maxFileBytes,
      maxFiles,
      maxQueueBytes,
      clock: this.clock,
      logger: this.logger.child({ service }),
      openAfter: previous?.close(),
    });
  }

  private openStdout(service: string): StdoutLog {
    this.stdoutSink ??= createStderrSink(1);
    return new StdoutLog(service, this.stdoutSink);
  }
}

function checkName(service: string): void {
  if (typeof service !== 'string' || !SERVICE_NAME.test(service) || Buffer.byteLength(service) > SERVICE_NAME_MAX_BYTES) {
    throw new InvalidServiceNameError(String(service));
  }
}
