// Errors thrown by the graph helpers and loader: one class per condition (STYLE §12). Bad services are never
// thrown; they are reported as LoadProblems in the CompiledTree.

/** A name that is neither a loaded nor a failed service of the tree. */
export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError';
  constructor(readonly service: string) {
    super(`unknown service "${service}": not in the service tree`);
  }
}

/** A service named directly that is in `tree.failed`, so it cannot be started. */
export class FailedServiceError extends Error {
  override readonly name = 'FailedServiceError';
  constructor(readonly service: string) {
    super(`service "${service}" failed to load and cannot be used`);
  }
}

/** A cycle met by a graph helper (only possible for a hand-built tree: the loader rejects cycles). */
export class DependencyCycleError extends Error {
  override readonly name = 'DependencyCycleError';
  constructor(readonly members: string[]) {
    super(`dependency cycle: ${members.join(' -> ')}`);
  }
}

/** loadServiceTree was given no source directory at all. */
export class NoSourceDirectoryError extends Error {
  override readonly name = 'NoSourceDirectoryError';
  constructor() {
    super('service tree sources: expected at least one source directory, got none');
  }
}
