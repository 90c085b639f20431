// The one error of workload specs; it carries INVALID_ARGUMENT, so libs/rpc's error map keeps the code.
import { InvalidArgumentError } from '@fortros/rpc';

/** A workload spec (DESIGN §9) is invalid; `field` is the path of the offending field, e.g. `placement.replicas`. */
export class WorkloadSpecError extends InvalidArgumentError {
  override readonly name = 'WorkloadSpecError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
