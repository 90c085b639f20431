// fortros.keys.v1.Keys: the gRPC handlers. The caller is the kernel-attested peer, attributed through init.
import type { Logger } from '@fortros/log';
import { KeysV1, type LoadedApi } from '@fortros/proto';
import type { AsyncHandlers, CallContext, ServiceRegistration } from '@fortros/rpc';
import type { Attributor } from '../attribution/attributor.js';
import { describeIdentity, type Identity } from '../attribution/identity.js';
import { PermissionDeniedError, UnattributedError } from '../errors.js';
import type { DeriveInput, DerivedKey, KeyService } from '../service/key-service.js';
import { deriveKeysHandler } from './derive-stream.js';
import { KeyCustody, zeroingSerializers } from './key-custody.js';
import type { RefusalCounts } from './keys-metrics.js';
import { RefusalLog } from './refusal-log.js';

export interface KeysApiComponents {
  service: KeyService;
  attributor: Attributor;
  logger: Logger;
  /** Where refused callers are logged, rate-limited per pid; default one of its own (not swept: see RefusalLog). */
  refusals?: RefusalLog;
  /** Counts the refusals the key service core does not (metrics). */
  counts?: RefusalCounts;
}

/** The Keys service for an RpcServer: handlers, and a method table whose DeriveKey(s) zero keys once serialised. */
export function keysApi(components: KeysApiComponents): ServiceRegistration {
  return { api: zeroingKeysApi(KeysV1.loadKeysApi()), handlers: keysHandlers(components) };
}

export function keysHandlers({ service, attributor, logger, refusals: given, counts }: KeysApiComponents): AsyncHandlers<KeysV1.KeysHandlers> {
  const log = logger.child({ component: 'keys:api' });
  const refusals = given ?? new RefusalLog(log);

  /** Who is calling: SO_PEERCRED's pid, walked up to a supervised service. Never from the request. */
  async function callerOf(ctx: CallContext): Promise<Identity> {
    if (!ctx.peer) {
      if (counts) counts.unattributed++;
      throw new UnattributedError('the caller has no kernel credentials (only unix-socket callers are served)', 0);
    }
    try {
      return await attributor.attribute(ctx.peer.pid, { signal: ctx.signal, ...(ctx.peer.startTime !== undefined ? { expectedStartTime: ctx.peer.startTime } : {}) });
    } catch (err) {
      // one line per pid per interval at most: a local process retrying in a loop cannot flood the log
      if (err instanceof UnattributedError) {
        if (counts) counts.unattributed++;
        refusals.refused({ pid: ctx.peer.pid, uid: ctx.peer.uid, reason: err.message });
      }
      throw err;
    }
  }

  /** derive(), with a purpose the policy denies logged through the same per-pid limit as unattributed callers. */
  function derive(input: DeriveInput, ctx: CallContext): DerivedKey {
    try {
      return service.derive(input);
    } catch (err) {
      if (err instanceof PermissionDeniedError && ctx.peer) refusals.refused({ pid: ctx.peer.pid, uid: ctx.peer.uid, reason: err.message });
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
export function zeroingKeysApi(api: LoadedApi): LoadedApi {
  return zeroingSerializers(api, {
    DeriveKey: (response: KeysV1.DeriveKeyResponse) => response.key,
    DeriveKeys: (response: KeysV1.DeriveKeysResponse) => response.key?.key,
  });
}
