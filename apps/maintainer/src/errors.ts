// Error classes of fortros-maintainer: one class per condition, `name` set; callers branch on the class.

// ---- org state (src/org) ----

/** A workload spec (DESIGN §9) is invalid; `field` is the path of the offending field, e.g. `placement.replicas`. */
export class WorkloadSpecError extends Error {
  override readonly name = 'WorkloadSpecError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A member, observed-status or settings record is invalid; `field` names the offending field. */
export class OrgRecordError extends Error {
  override readonly name = 'OrgRecordError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A write would grow a map of the org document past its bound (maps to RESOURCE_EXHAUSTED). */
export class OrgLimitError extends Error {
  override readonly name = 'OrgLimitError';
  constructor(
    readonly map: string,
    readonly limit: number,
  ) {
    super(`org ${map}: at most ${limit} entries`);
  }
}

/** The store's files are damaged beyond the torn tail it repairs itself (bad header, corrupt snapshot). */
export class OrgStoreCorruptError extends Error {
  override readonly name = 'OrgStoreCorruptError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** An append was made while the store is not open (never opened, or closed). */
export class OrgStoreClosedError extends Error {
  override readonly name = 'OrgStoreClosedError';
  constructor(readonly dir: string) {
    super(`org store ${dir}: not open`);
  }
}

/** A write or fsync failed; the store refuses further writes, since acknowledging them could be a lie. */
export class OrgStoreFailedError extends Error {
  override readonly name = 'OrgStoreFailedError';
  constructor(
    readonly dir: string,
    override readonly cause: unknown,
  ) {
    super(`org store ${dir}: a write failed (${cause instanceof Error ? cause.message : String(cause)}); no further writes`);
  }
}
