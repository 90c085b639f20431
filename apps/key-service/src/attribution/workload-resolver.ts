// Which workload a caller under no init service belongs to: the reconciler's answer (ResolvePid) as a directory
// entry, cached briefly per (pid, start time) so a workload's repeated calls do not each ask the reconciler.
import { MAX_WORKLOAD_CACHE_ENTRIES, WORKLOAD_CACHE_MS } from '../constants.js';
import type { DirectoryEntry } from './identity.js';

/** The reconciler's answer for one pid: the workload whose process tree holds it, or undefined for none. */
export interface WorkloadLookup {
  resolvePid(pid: number, options: { signal?: AbortSignal }): Promise<DirectoryEntry | undefined>;
}

export interface WorkloadResolverComponents {
  lookup: WorkloadLookup;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
  cacheMs?: number;
  maxEntries?: number;
}

interface Cached {
  at: number;
  entry: DirectoryEntry;
}

/**
 * Found answers are reused for `cacheMs` under the key (pid, start time): a reused pid has another start time, so it
 * never gets a dead process's answer. "No workload" is not cached: a workload's process may be asked about before
 * the reconciler's next pass has seen its main pid. Lookup failures propagate (the caller refuses the call).
 */
export class WorkloadResolver {
  private readonly cache = new Map<string, Cached>();
  private readonly clock: () => number;
  private readonly cacheMs: number;
  private readonly maxEntries: number;

  constructor(private readonly components: WorkloadResolverComponents) {
    this.clock = components.clock ?? (() => performance.now());
    this.cacheMs = components.cacheMs ?? WORKLOAD_CACHE_MS;
    this.maxEntries = components.maxEntries ?? MAX_WORKLOAD_CACHE_ENTRIES;
  }

  async resolve(pid: number, startTime: number, options: { signal?: AbortSignal } = {}): Promise<DirectoryEntry | undefined> {
    const key = `${pid}:${startTime}`;
    const hit = this.cache.get(key);
    if (hit && this.clock() - hit.at < this.cacheMs) return hit.entry;
    this.cache.delete(key);
    const entry = await this.components.lookup.resolvePid(pid, options);
    if (!entry) return undefined;
    while (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { at: this.clock(), entry });
    return entry;
  }

  /** Cached answers (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }
}
