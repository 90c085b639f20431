// The service directory backed by fortros-init's control API: each supervised service's main pid and start time.
import { InitV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import type { DirectoryEntry, ServiceDirectory } from '../attribution/identity.js';
import { INIT_CALL_TIMEOUT_MS, MAX_DIRECTORY_ENTRIES } from '../constants.js';
import { ServiceDirectoryUnavailableError } from '../errors.js';

/**
 * Asks init (ListServices on `<root>/run/fortros/init.sock`) for the services it supervises. Every call is one
 * fetch: the Attributor caches the listing for DIRECTORY_CACHE_MS, refetches when a caller is missing from a listing
 * asked for before the caller arrived, and runs one fetch at a time, shared among concurrent callers.
 */
export class InitServiceDirectory implements ServiceDirectory {
  private client: InitV1.InitClient | undefined;
  private closed = false;

  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = INIT_CALL_TIMEOUT_MS,
  ) {}

  async services(options: { signal?: AbortSignal } = {}): Promise<DirectoryEntry[]> {
    if (this.closed) throw new ServiceDirectoryUnavailableError('the service directory is closed (the key service is stopping)');
    this.client ??= createClient<InitV1.InitClient>(InitV1.loadInitApi(), this.socketPath);
    let services: InitV1.Service__Output[];
    try {
      const call: { timeoutMs: number; signal?: AbortSignal } = { timeoutMs: this.timeoutMs };
      if (options.signal) call.signal = options.signal;
      services = (await unary(this.client, 'listServices', {}, call)).services;
    } catch (err) {
      if (err instanceof RpcCallError && err.code !== StatusCode.CANCELLED) {
        throw new ServiceDirectoryUnavailableError(
          `cannot ask fortros-init at ${this.socketPath} which services it supervises: ${StatusCode[err.code] ?? err.code}`,
          { cause: err },
        );
      }
      throw err;
    }
    return toEntries(services);
  }

  /** Close the connection to init. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }
}

/** Services that have a main process, as directory entries (at most MAX_DIRECTORY_ENTRIES). */
export function toEntries(services: readonly InitV1.Service__Output[]): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  for (const s of services) {
    if (entries.length >= MAX_DIRECTORY_ENTRIES) break;
    if (!Number.isSafeInteger(s.pid) || s.pid <= 1 || typeof s.name !== 'string') continue;
    const entry: DirectoryEntry = { kind: 'service', name: s.name, pid: s.pid };
    // 0 = init did not record it; the Attributor then remembers the first start time it sees for the pid
    if (Number.isSafeInteger(s.pidStartTime) && s.pidStartTime > 0) entry.startTime = s.pidStartTime;
    entries.push(entry);
  }
  return entries;
}
