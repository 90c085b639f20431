// The WorkloadLookup backed by fortros-reconciler's ResolvePid on reconciler.sock, with a short deadline.
import { ReconcilerV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import { RECONCILER_CALL_TIMEOUT_MS } from '../constants.js';
import { WorkloadResolverUnavailableError } from '../errors.js';
import type { DirectoryEntry } from './identity.js';
import type { WorkloadLookup } from './workload-resolver.js';

export class ReconcilerLookup implements WorkloadLookup {
  private client: ReconcilerV1.ReconcilerClient | undefined;
  private closed = false;

  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = RECONCILER_CALL_TIMEOUT_MS,
  ) {}

  async resolvePid(pid: number, options: { signal?: AbortSignal } = {}): Promise<DirectoryEntry | undefined> {
    if (this.closed) throw new WorkloadResolverUnavailableError('the reconciler is not asked any more (the key service is stopping)', pid);
    this.client ??= createClient<ReconcilerV1.ReconcilerClient>(ReconcilerV1.loadReconcilerApi(), this.socketPath);
    let answer;
    try {
      const call: { timeoutMs: number; signal?: AbortSignal } = { timeoutMs: this.timeoutMs };
      if (options.signal) call.signal = options.signal;
      answer = await unary(this.client, 'resolvePid', { pid }, call);
    } catch (err) {
      if (err instanceof RpcCallError && err.code !== StatusCode.CANCELLED) {
        throw new WorkloadResolverUnavailableError(
          `fortros-reconciler at ${this.socketPath} could not say whether it is a workload's: ${StatusCode[err.code] ?? err.code}`,
          pid,
          { cause: err },
        );
      }
      throw err;
    }
    return toEntry(answer);
  }

  /** Close the connection to the reconciler. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }
}

/** A found answer as a workload directory entry; undefined when not found or malformed (then nothing is attributed). */
export function toEntry(answer: ReconcilerV1.ResolvePidResponse__Output): DirectoryEntry | undefined {
  if (!answer.found) return undefined;
  const startTime = Number(answer.pidStartTime);
  if (typeof answer.workload !== 'string' || answer.workload === '') return undefined;
  if (!Number.isSafeInteger(answer.workloadPid) || answer.workloadPid <= 1) return undefined;
  if (!Number.isSafeInteger(startTime) || startTime <= 0) return undefined;
  const purposes = (answer.keys ?? []).filter((k) => typeof k === 'string');
  return { kind: 'workload', name: answer.workload, pid: answer.workloadPid, startTime, purposes };
}
