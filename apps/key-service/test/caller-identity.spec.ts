// Caller identity per call: the uid's rate, the connection's pidfd before and after the ancestry walk, and the
// per-service connection limit; every refusal counted by reason and logged.
import { strict as assert } from 'node:assert';
import type { CallContext, PeerConnection, PeerProcessState } from '@fortros/rpc';
import { CallerIdentity } from '../src/attribution/caller-identity.js';
import type { Identity } from '../src/attribution/identity.js';
import {
  CallerExitedError,
  IdentityUnavailableError,
  ServiceConnectionLimitError,
  UidRateLimitedError,
  UnattributedError,
} from '../src/errors.js';
import { ConnectionLimits } from '../src/limits/connection-limits.js';
import { RefusalCounts } from '../src/limits/refusal-counts.js';
import { RateLimiter } from '../src/policy/rate-limit.js';
import type { Refusal } from '../src/server/refusal-log.js';

/** A connection whose process state follows `states` (one per processState() call, the last repeated). */
function connection(states: PeerProcessState[], id = 1): PeerConnection & { closedAs?: string } {
  let i = 0;
  const c = {
    id,
    credentials: undefined,
    closeReason: 'closed',
    processState: () => states[Math.min(i++, states.length - 1)]!,
    close(reason: string) {
      c.closedAs = reason;
    },
  } as unknown as PeerConnection & { closedAs?: string };
  return c;
}

function context(conn: PeerConnection | undefined, uid = 1000): CallContext & { end: () => void } {
  const ac = new AbortController();
  return {
    signal: ac.signal,
    peerAddress: 'unix-peer',
    method: '/fortros.keys.v1.Keys/DeriveKey',
    metadata: {},
    peer: { pid: 4242, uid, gid: uid, ...(conn ? { connection: conn } : {}) },
    end: () => ac.abort(),
  };
}

const WEB: Identity = { kind: 'service', name: 'web', pid: 10, callerPid: 4242 };

function setup(attribute: () => Promise<Identity> = async () => WEB, options: { perService?: number; uidRate?: RateLimiter } = {}) {
  const counts = new RefusalCounts();
  const logged: Refusal[] = [];
  const limits = new ConnectionLimits(counts, { perService: options.perService ?? 64 });
  const walks: number[] = [];
  const identity = new CallerIdentity({
    attributor: { attribute: async (pid) => (walks.push(pid), attribute()) },
    limits,
    counts,
    refusals: { refused: (r) => void logged.push(r) },
    ...(options.uidRate ? { uidRate: options.uidRate } : {}),
  });
  return { identity, counts, logged, walks };
}

describe('caller identity', () => {
  it('attributes a caller whose process is alive before and after the walk', async () => {
    const { identity, walks } = setup();
    assert.deepEqual(await identity.of(context(connection(['alive']))), WEB);
    assert.deepEqual(walks, [4242]);
  });

  const refusals: Array<[string, PeerProcessState[], new (...a: never[]) => Error, RegExp, string, number]> = [
    ['the process exited after connecting (its pid may be reused)', ['exited'], CallerExitedError, /process 4242 exited after connecting/, 'caller-exited', 0],
    ['the process exited during the walk', ['alive', 'exited'], CallerExitedError, /process 4242 exited during the request/, 'caller-exited', 1],
    ['no pidfd (kernel gave none, or the connection closed)', ['unbound'], IdentityUnavailableError, /holds no pidfd .* cannot be established/, 'no-pidfd', 0],
  ];
  for (const [what, states, cls, message, reason, walked] of refusals) {
    it(`refuses UNAUTHENTICATED when ${what}, counted and logged, never walking a stale pid`, async () => {
      const { identity, counts, logged, walks } = setup();
      await assert.rejects(identity.of(context(connection(states))), (err: Error) => err instanceof cls && err instanceof UnattributedError && message.test(err.message));
      assert.equal(counts.get(reason as 'no-pidfd'), 1);
      assert.equal(logged.length, 1);
      assert.deepEqual([logged[0]!.pid, logged[0]!.uid], [4242, 1000]);
      assert.equal(walks.length, walked);
    });
  }

  it('refuses a call without a connection (credentials without a live connection) or without credentials', async () => {
    const { identity, counts } = setup();
    await assert.rejects(identity.of(context(undefined)), IdentityUnavailableError);
    const bare = { ...context(undefined) };
    delete bare.peer;
    await assert.rejects(identity.of(bare), /no kernel credentials/);
    assert.deepEqual([counts.get('no-pidfd'), counts.get('no-credentials')], [1, 1]);
  });

  it('counts an unattributed caller', async () => {
    const { identity, counts } = setup(async () => {
      throw new UnattributedError('process 4242 (sh) does not descend from a service supervised by init or a workload', 4242);
    });
    await assert.rejects(identity.of(context(connection(['alive']))), /does not descend/);
    assert.equal(counts.get('unattributed'), 1);
  });

  it('limits calls per uid before any walk: one uid spent, another uid still served', async () => {
    const { identity, counts, walks } = setup(undefined, { uidRate: new RateLimiter({ ratePerSec: 1, burst: 2, clock: () => 0 }) });
    await identity.of(context(connection(['alive'])));
    await identity.of(context(connection(['alive'])));
    await assert.rejects(identity.of(context(connection(['alive']))), (err: Error) => err instanceof UidRateLimitedError && /uid 1000: call rate limit exceeded; retry in 1000 ms/.test(err.message));
    assert.deepEqual(await identity.of(context(connection(['alive']), 2000)), WEB);
    assert.equal(counts.get('uid-rate'), 1);
    assert.equal(walks.length, 3);
  });

  it('refuses a service beyond its connection limit RESOURCE_EXHAUSTED and closes that connection once the call is over', async () => {
    const { identity, counts } = setup(undefined, { perService: 1 });
    await identity.of(context(connection(['alive'], 1)));
    const second = connection(['alive'], 2);
    const ctx = context(second);
    await assert.rejects(identity.of(ctx), (err: Error) => err instanceof ServiceConnectionLimitError && /service web: too many connections to keys\.sock/.test(err.message));
    assert.equal(second.closedAs, undefined, 'the answer goes out first');
    ctx.end();
    assert.equal(second.closedAs, 'refused');
    assert.equal(counts.get('service-connections'), 1);
  });
});
