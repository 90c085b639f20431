// Errors of the service log store: one class per condition (STYLE §12), naming the service involved.

/** The LogStore was closed: no log is opened any more. */
export class LogStoreClosedError extends Error {
  override readonly name = 'LogStoreClosedError';
  constructor(readonly service: string) {
    super(`log of service "${service}": the log store is closed`);
  }
}

/** Logs go to init's stdout (`--log stdout`), so there is nothing stored to read. */
export class LogsNotStoredError extends Error {
  override readonly name = 'LogsNotStoredError';
  constructor(readonly service: string) {
    super(`logs of service "${service}" are not stored: init writes service output to its stdout (--log stdout)`);
  }
}

/** A name that cannot be a service (and so must not become a path under var/log/fortros). */
export class InvalidServiceNameError extends Error {
  override readonly name = 'InvalidServiceNameError';
  constructor(readonly service: string) {
    super(`service name: expected [A-Za-z0-9][A-Za-z0-9._@-]* of at most 255 bytes, got ${JSON.stringify(service)}`);
  }
}
