// fortros.keys.v1.Keys: the gRPC handlers. The caller is the kernel-attested peer, attributed through init.
import type { Logger } from '@fortros/log';
import { KeysV1, type LoadedApi } from '@fortros/proto';
import { defineService, type AsyncHandlers, type CallContext, type ServiceRegistration } from '@fortros/rpc';
import type { Attributor } from '../attribution/attributor.js';
import { CallerIdentity } from '../attribution/caller-identity.js';
import { describeIdentity, type Identity } from '../attribution/identity.js';
import { PermissionDeniedError, RateLimitedError } from '../errors.js';
import { ConnectionLimits } from '../limits/connection-limits.js';
import { RefusalCounts } from '../limits/refusal-counts.js';
import type { DeriveInput, DerivedKey, KeyService } from '../service/key-service.js';
import { deriveKeysHandler } from './derive-stream.js';
import { KeyCustody, zeroingSerializers } from './key-custody.js';
import { RefusalLog } from './refusal-log.js';

export interface KeysApiComponents {
  service: KeyService;
  attributor: Attributor;
  logger: Logger;
  /** Where refused callers are logged, rate-limited per pid; default one of its own (not swept: see RefusalLog). */
  refusals?: RefusalLog;
  /** Refusals by reason; default counters of its own. */
  counts?: RefusalCounts;
  /** The connection limits the server applies at accept (per-service ones are applied here); default its own. */
  limits?: ConnectionLimits;
}

/** The Keys service for an RpcServer: handlers, and a method table whose DeriveKey(s) zero keys once serialised. */
export function keysApi(components: KeysApiComponents): ServiceRegistration {
  return defineService(zeroingKeysApi(KeysV1.loadKeysApi()), keysHandlers(components));
}

export function keysHandlers(components: KeysApiComponents): AsyncHandlers<KeysV1.KeysHandlers> {
  const { service, attributor, logger } = components;
  const log = logger.child({ component: 'keys:api' });
  const refusals = components.refusals ?? new RefusalLog(log);
  const counts = components.counts ?? new RefusalCounts();
  const limits = components.limits ?? new ConnectionLimits(counts);
  const identity = new CallerIdentity({ attributor, limits, counts, refusals });

  /** Who is calling: the kernel's peer, bound to its process, walked up to a supervised service. Never from the request. */
  const callerOf = (ctx: CallContext): Promise<Identity> => identity.of(ctx);

  /** derive(), with a denied purpose logged through the same per-pid limit as unattributed callers; refusals counted. */
  function derive(input: DeriveInput, ctx: CallContext): DerivedKey {
    try {
      return service.derive(input);
    } catch (err) {
      if (err instanceof PermissionDeniedError) {
        counts.add('denied');
        if (ctx.peer) refusals.refused({ pid: ctx.peer.pid, uid: ctx.peer.uid, reason: err.message });
      } else if (err instanceof RateLimitedError) {
        counts.add('service-rate');
      }
      throw err;
    }
  }

  return {
    async DeriveKey(request, ctx) {
      const caller = await callerOf(ctx);
      const derived = derive({ caller, purpose: request.purpose, length: request.length, version: request.version }, ctx);
      // the response owns the key: zeroed by the method table right after serialisation, or when the call ends
      const key = new KeyCustody(ctx.signal).hold(derived.key);
      log.debug('key derived', { caller: describeIdentity(caller), callerPid: caller.callerPid, keyId: derived.keyId, version: derived.version, length: derived.length });
      return { key, version: derived.version, keyId: derived.keyId, length: derived.length, service: derived.service };
    },

    DeriveKeys: deriveKeysHandler({ derive, callerOf, log }),

    async ListPurposes(_request, ctx) {
      const caller = await callerOf(ctx);
      const list = service.listPurposes(caller);
      return { purposes: list.purposes, anyPurpose: list.anyPurpose };
    },

    // Not attributed: it holds no secret (a fingerprint, counters, the reason the key is refused) and operators
    // need it exactly when something is wrong.
    async Status() {
      const s = service.status();
      return {
        masterKeyLoaded: s.masterKeyLoaded,
        masterKeyFingerprint: s.masterKeyFingerprint,
        derivations: s.derivations.toString(),
        state: s.state,
        reason: s.reason,
        policySource: s.policySource,
        denied: s.denied.toString(),
        rateLimited: s.rateLimited.toString(),
        masterKeyCreated: s.masterKeyCreated,
      };
    },
  };
}

/**
 * The Keys API with the response serialisers of DeriveKey and DeriveKeys wrapped: once a response is encoded for the
 * wire, its key buffer is zeroed. A copy of the (cached, shared) method table; the loaded API itself is not changed.
 */
export function zeroingKeysApi<H>(api: LoadedApi<H>): LoadedApi<H> {
  return zeroingSerializers(api, {
    DeriveKey: (response: KeysV1.DeriveKeyResponse) => response.key,
    DeriveKeys: (response: KeysV1.DeriveKeysResponse) => response.key?.key,
  });
}
