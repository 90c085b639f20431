// Attribution: from a kernel-reported peer pid, up the process ancestry, to a supervised service or workload.
import type { Logger } from '@fortros/log';
import { DEFAULT_WORKLOAD_PARENT, DIRECTORY_CACHE_MS, MAX_DIRECTORY_ENTRIES, MAX_FIRST_SEEN_PIDS } from '../constants.js';
import { UnattributedError, WorkloadResolverUnavailableError } from '../errors.js';
import type { DirectoryEntry, Identity, ServiceDirectory } from './identity.js';
import type { WorkloadResolver } from './workload-resolver.js';
import { MAX_ANCESTRY_DEPTH, ProcessGoneError, ProcFs, type ProcStat } from '@fortros/procfs';

export interface AttributorComponents {
  directory: ServiceDirectory;
  proc?: ProcFs;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
  logger?: Logger;
  /** Asked (via the reconciler's ResolvePid) for a caller under no service; absent: workloads are never attributed. */
  workloads?: Pick<WorkloadResolver, 'resolve'>;
  /**
   * The service that runs workloads (default `reconciler`): its anchors are its children while it runs, so a caller
   * below it, other than its main process, is asked about too, and is the workload's when the reconciler says so.
   */
  workloadParent?: string;
}

export interface AttributeOptions {
  /** The caller's start time read when its connection was accepted: a different value now means pid reuse. */
  expectedStartTime?: number;
  signal?: AbortSignal;
}

interface Listing {
  /** When the fetch completed (clock ms): the cache age. */
  at: number;
  /** Number of the fetch that produced it (1, 2, …, in the order the fetches started). */
  seq: number;
  byPid: Map<number, DirectoryEntry>;
}

interface Fetch {
  seq: number;
  promise: Promise<Listing>;
}

/**
 * Walks from the caller towards pid 1 and returns the nearest supervised ancestor (so a workload spawned by the
 * reconciler is the workload, not the reconciler). Guards against pid reuse at three points: the matched
 * ancestor's start time must equal the one the supervisor recorded (or the first one seen for that pid), no
 * parent may be younger than its child, and the caller's own start time must not change during the request.
 */
export class Attributor {
  private readonly directory: ServiceDirectory;
  private readonly proc: ProcFs;
  private readonly clock: () => number;
  private readonly log: Logger | undefined;
  private readonly workloads: Pick<WorkloadResolver, 'resolve'> | undefined;
  private readonly workloadParent: string;
  private listing: Listing | undefined;
  /** Fetches started so far: a caller notes it on arrival, and a listing with a higher seq began after the caller. */
  private fetches = 0;
  /** At most one fetch runs at a time, shared by concurrent callers. */
  private inflight: Fetch | undefined;
  /** The one fetch queued behind an in-flight one, shared by every caller that needs a listing newer than it. */
  private followUp: Promise<Listing> | undefined;
  private readonly firstSeen = new Map<number, { name: string; startTime: number }>();

  constructor(components: AttributorComponents) {
    this.directory = components.directory;
    this.proc = components.proc ?? new ProcFs();
    this.clock = components.clock ?? (() => performance.now());
    this.log = components.logger?.child({ component: 'keys:attribution' });
    this.workloads = components.workloads;
    this.workloadParent = components.workloadParent ?? DEFAULT_WORKLOAD_PARENT;
  }

  async attribute(callerPid: number, options: AttributeOptions = {}): Promise<Identity> {
    options.signal?.throwIfAborted();
    // The caller's ancestors, its service included, exist by now: any fetch started later lists that service.
    const seen = this.fetches;
    const caller = this.readCaller(callerPid);
    if (options.expectedStartTime !== undefined && caller.startTime !== options.expectedStartTime) {
      throw new UnattributedError(`process ${callerPid} exited after connecting and its pid was reused`, callerPid);
    }
    const listing = await this.currentListing(options.signal);
    let match = this.walk(caller, listing);
    if (!match && listing.seq <= seen) {
      // the listing was asked for before this caller arrived: its service may have started since
      match = this.walk(caller, await this.listingAfter(seen, options.signal));
    }
    if (!match || (match.entry.name === this.workloadParent && match.stat.pid !== caller.pid)) {
      match = (await this.workloadMatch(caller, match === undefined, options.signal)) ?? match;
    }
    if (!match) {
      throw new UnattributedError(
        `process ${callerPid} (${caller.comm}) does not descend from a service supervised by init or a workload`,
        callerPid,
      );
    }
    const { entry, stat } = match;
    const kind = entry.kind ?? 'service';
    const expected = entry.startTime ?? this.firstSeenStartTime(entry, stat.startTime);
    if (stat.startTime !== expected) {
      throw new UnattributedError(
        `process ${callerPid}: pid ${entry.pid} of ${kind} ${entry.name} now belongs to another process (pid reused)`,
        callerPid,
      );
    }
    const after = this.readCaller(callerPid);
    if (after.startTime !== caller.startTime) {
      throw new UnattributedError(`process ${callerPid} exited during the request and its pid was reused`, callerPid);
    }
    const identity: Identity = { kind, name: entry.name, pid: entry.pid, callerPid };
    if (entry.purposes) identity.purposes = entry.purposes;
    return identity;
  }

  /** Forget the cached directory listing (e.g. when init reports a service event). */
  invalidate(): void {
    this.listing = undefined;
  }

  private readCaller(pid: number): ProcStat {
    try {
      return this.proc.stat(pid);
    } catch (err) {
      if (err instanceof ProcessGoneError) throw new UnattributedError(`process ${pid} is gone`, pid);
      throw err;
    }
  }

  /** Nearest directory entry among the caller and its ancestors, with the /proc stat of the matched process. */
  private walk(caller: ProcStat, listing: Listing): { entry: DirectoryEntry; stat: ProcStat } | undefined {
    let current = caller;
    for (let depth = 0; depth <= MAX_ANCESTRY_DEPTH; depth++) {
      const entry = listing.byPid.get(current.pid);
      if (entry) return { entry, stat: current };
      if (current.ppid <= 1) return undefined; // reached init or the kernel: orphans are not attributed
      let parent: ProcStat;
      try {
        parent = this.proc.stat(current.ppid);
      } catch (err) {
        if (err instanceof ProcessGoneError) return undefined;
        throw err;
      }
      if (parent.startTime > current.startTime) return undefined; // a parent is never younger: its pid was reused
      current = parent;
    }
    return undefined;
  }

  /**
   * Under no service: the reconciler names the workload and its main pid with that pid's start time; the walk up from
   * the caller must reach that very pid, and (below) its start time must equal the reconciler's: the rules of services.
   */
  private async workloadMatch(caller: ProcStat, underNoService: boolean, signal: AbortSignal | undefined): Promise<{ entry: DirectoryEntry; stat: ProcStat } | undefined> {
    let entry: DirectoryEntry | undefined;
    try {
      entry = await this.workloads?.resolve(caller.pid, caller.startTime, signal ? { signal } : {});
    } catch (err) {
      if (!(err instanceof WorkloadResolverUnavailableError)) throw err;
      const where = underNoService ? 'does not descend from a service supervised by init' : `descends from service ${this.workloadParent}`;
      throw new WorkloadResolverUnavailableError(`process ${caller.pid} (${caller.comm}) ${where}, and ${err.message}`, caller.pid, { cause: err });
    }
    if (!entry) return undefined;
    return this.walk(caller, { at: 0, seq: 0, byPid: new Map([[entry.pid, entry]]) });
  }

  private firstSeenStartTime(entry: DirectoryEntry, seen: number): number {
    const known = this.firstSeen.get(entry.pid);
    if (known && known.name === entry.name) return known.startTime;
    if (this.firstSeen.size >= MAX_FIRST_SEEN_PIDS) {
      const oldest = this.firstSeen.keys().next().value;
      if (oldest !== undefined) this.firstSeen.delete(oldest);
    }
    this.firstSeen.set(entry.pid, { name: entry.name, startTime: seen });
    return seen;
  }

  /** The cached listing while it is fresh, else the in-flight fetch or a new one. */
  private async currentListing(signal: AbortSignal | undefined): Promise<Listing> {
    const cached = this.listing;
    if (cached && this.clock() - cached.at < DIRECTORY_CACHE_MS) return cached;
    // Fetches are not tied to any one caller's signal: each caller races its own.
    return raceAbort((this.inflight ?? this.startFetch()).promise, signal);
  }

  /**
   * A listing from a fetch that started after fetch number `seen` (so after the caller arrived): never one that was
   * already under way, which may predate the caller's service. Behind an older in-flight fetch, callers share one
   * follow-up fetch, so init is asked at most once at a time.
   */
  private async listingAfter(seen: number, signal: AbortSignal | undefined): Promise<Listing> {
    if (this.listing && this.listing.seq > seen) return this.listing;
    const running = this.inflight;
    if (running && running.seq > seen) return raceAbort(running.promise, signal);
    if (!running) return raceAbort(this.startFetch().promise, signal);
    this.followUp ??= running.promise.then(
      () => this.afterRunning(),
      () => this.afterRunning(),
    );
    return raceAbort(this.followUp, signal);
  }

  /** The follow-up: any fetch started once the older one settled will do (every waiter was queued before that). */
  private afterRunning(): Promise<Listing> {
    this.followUp = undefined;
    return (this.inflight ?? this.startFetch()).promise;
  }

  private startFetch(): Fetch {
    const seq = ++this.fetches;
    const promise = this.fetch(seq).finally(() => {
      if (this.inflight?.seq === seq) this.inflight = undefined;
    });
    this.inflight = { seq, promise };
    return this.inflight;
  }

  private async fetch(seq: number): Promise<Listing> {
    const entries = await this.directory.services();
    const byPid = new Map<number, DirectoryEntry>();
    for (const entry of entries.slice(0, MAX_DIRECTORY_ENTRIES)) {
      if (!isEntry(entry)) {
        this.log?.warn('ignoring a malformed service directory entry', { name: String((entry as { name?: unknown } | undefined)?.name) });
        continue;
      }
      if (byPid.has(entry.pid)) {
        this.log?.warn('two directory entries share a pid; keeping the first', { pid: entry.pid, name: entry.name });
        continue;
      }
      byPid.set(entry.pid, entry);
    }
    if (entries.length > MAX_DIRECTORY_ENTRIES) {
      this.log?.warn('service directory listing truncated', { entries: entries.length, kept: MAX_DIRECTORY_ENTRIES });
    }
    for (const [pid, seen] of this.firstSeen) {
      if (byPid.get(pid)?.name !== seen.name) this.firstSeen.delete(pid); // the process left the directory
    }
    const listing = { at: this.clock(), seq, byPid };
    if (!this.listing || this.listing.seq < seq) this.listing = listing;
    return listing;
  }
}

function isEntry(entry: DirectoryEntry | undefined): entry is DirectoryEntry {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.name === 'string' &&
    Number.isSafeInteger(entry.pid) &&
    entry.pid > 1 &&
    (entry.kind === undefined || entry.kind === 'service' || entry.kind === 'workload') &&
    (entry.startTime === undefined || Number.isSafeInteger(entry.startTime))
  );
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
