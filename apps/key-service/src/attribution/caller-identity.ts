// Who is calling, for one call on keys.sock: the kernel's peer, bound to its process by the connection's pidfd,
// walked up to a supervised service; refused (and counted, and logged rate-limited) whenever that cannot be established.
import type { CallContext, PeerConnection } from '@fortros/rpc';
import { UID_CALL_BURST, UID_CALL_RATE_PER_SEC } from '../constants.js';
import { CallerExitedError, IdentityUnavailableError, ServiceConnectionLimitError, UidRateLimitedError, UnattributedError } from '../errors.js';
import type { ConnectionLimits } from '../limits/connection-limits.js';
import type { RefusalCounts, RefusalReason } from '../limits/refusal-counts.js';
import { RateLimiter } from '../policy/rate-limit.js';
import type { RefusalLog } from '../server/refusal-log.js';
import type { Attributor } from './attributor.js';
import { describeIdentity, keySubject, type Identity } from './identity.js';

export interface CallerIdentityComponents {
  attributor: Pick<Attributor, 'attribute'>;
  limits: Pick<ConnectionLimits, 'bindService'>;
  counts: RefusalCounts;
  refusals: Pick<RefusalLog, 'refused'>;
  /** Calls per uid; default UID_CALL_RATE_PER_SEC with a burst of UID_CALL_BURST. */
  uidRate?: RateLimiter;
}

/**
 * Per call: the uid's call rate; then the connection's pidfd must show the process that connected still running
 * (else its pid may be another process's now); then its /proc ancestry is walked to a supervised service or workload;
 * then the pidfd is asked again, so the walk was of that same process (a running process keeps its pid). A call
 * whose identity cannot be established (no credentials, no pidfd, the process gone) is refused UNAUTHENTICATED; the
 * first attributed call of a connection counts it towards its service's connection limit.
 */
export class CallerIdentity {
  private readonly uidRate: RateLimiter;

  constructor(private readonly components: CallerIdentityComponents) {
    this.uidRate = components.uidRate ?? new RateLimiter({ ratePerSec: UID_CALL_RATE_PER_SEC, burst: UID_CALL_BURST });
  }

  async of(ctx: CallContext): Promise<Identity> {
    const peer = ctx.peer;
    if (!peer) throw this.refused('no-credentials', new IdentityUnavailableError('the caller has no kernel credentials (only unix-socket callers are served)', 0));
    const rate = this.uidRate.take(`uid:${peer.uid}`);
    if (!rate.allowed) {
      throw this.refused('uid-rate', new UidRateLimitedError(`uid ${peer.uid}: call rate limit exceeded; retry in ${rate.retryAfterMs} ms`, rate.retryAfterMs), peer);
    }
    const connection = peer.connection;
    this.checkProcess(connection, peer.pid, 'after connecting', peer);
    let identity: Identity;
    try {
      const options: { signal: AbortSignal; expectedStartTime?: number } = { signal: ctx.signal };
      if (peer.startTime !== undefined) options.expectedStartTime = peer.startTime;
      identity = await this.components.attributor.attribute(peer.pid, options);
    } catch (err) {
      if (err instanceof UnattributedError) throw this.refused('unattributed', err, peer);
      throw err;
    }
    this.checkProcess(connection, peer.pid, 'during the request', peer);
    const refusal = this.components.limits.bindService(connection!, keySubject(identity));
    if (refusal !== undefined) {
      // the answer first, then the connection: closed once this call is over
      ctx.signal.addEventListener('abort', () => connection!.close('refused'), { once: true });
      throw this.logged(new ServiceConnectionLimitError(`${describeIdentity(identity)}: too many connections to keys.sock: ${refusal}; this one is closed`), peer);
    }
    return identity;
  }

  /** The connection's pidfd must show the process that connected still running. */
  private checkProcess(connection: PeerConnection | undefined, pid: number, when: string, peer: { pid: number; uid: number }): void {
    const state = connection?.processState() ?? 'unbound';
    if (state === 'alive') return;
    if (state === 'exited') {
      throw this.refused('caller-exited', new CallerExitedError(`process ${pid} exited ${when}; its pid may belong to another process now`, pid), peer);
    }
    throw this.refused(
      'no-pidfd',
      new IdentityUnavailableError(`process ${pid}: its connection holds no pidfd (the kernel gave none, or it is closed), so who it is cannot be established`, pid),
      peer,
    );
  }

  private refused<E extends Error>(reason: RefusalReason, err: E, peer?: { pid: number; uid: number }): E {
    this.components.counts.add(reason);
    return peer ? this.logged(err, peer) : err;
  }

  /** One line per pid per interval at most (RefusalLog): a local process retrying in a loop cannot flood the log. */
  private logged<E extends Error>(err: E, peer: { pid: number; uid: number }): E {
    this.components.refusals.refused({ pid: peer.pid, uid: peer.uid, reason: err.message });
    return err;
  }
}
