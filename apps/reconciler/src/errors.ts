// One error class per condition the reconciler reports (STYLE §13).

/** A (state, event) pair the workload lifecycle cannot take: a bug in the caller. */
export class ImpossibleTransitionError extends Error {
  override name = 'ImpossibleTransitionError';
  constructor(readonly workload: string, readonly state: string, readonly event: string) {
    super(`workload ${workload}: event ${event} is impossible in state ${state}`);
  }
}

/** A driver could not start a workload; the message says why and is shown as the workload's reason. */
export class DriverStartError extends Error {
  override name = 'DriverStartError';
  constructor(readonly workload: string, readonly detail: string, options?: ErrorOptions) {
    super(`workload ${workload}: ${detail}`, options);
  }
}

/** A spec handed to a driver of another kind, or missing what the driver needs. */
export class DriverSpecError extends Error {
  override name = 'DriverSpecError';
  readonly detail: string;
  constructor(readonly workload: string, readonly field: string, reason: string) {
    super(`workload ${workload}: field ${field}: ${reason}`);
    this.detail = `field ${field}: ${reason}`;
  }
}

/** An anchor's state file that cannot be read as one: names the file. */
export class AnchorStateError extends Error {
  override name = 'AnchorStateError';
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** The driver has no run of this workload. */
export class UnknownWorkloadError extends Error {
  override name = 'UnknownWorkloadError';
  constructor(readonly workload: string) {
    super(`no run of workload ${workload} on this node`);
  }
}

/** A QMP exchange with a VM failed: names the socket. */
export class QmpError extends Error {
  override name = 'QmpError';
  constructor(readonly socket: string, reason: string) {
    super(`QMP ${socket}: ${reason}`);
  }
}

/** A workload spec from the maintainer that cannot be read: names the workload. */
export class SpecJsonError extends Error {
  override name = 'SpecJsonError';
  constructor(readonly workload: string, reason: string) {
    super(`workload ${workload}: spec_json: ${reason}`);
  }
}
