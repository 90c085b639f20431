// DeriveKeys: bulk derivation on one bidirectional stream, each request attributed and checked exactly like DeriveKey.
import type { Logger } from '@fortros/log';
import type { KeysV1 } from '@fortros/proto';
import type { BidiStreamHandler, CallContext } from '@fortros/rpc';
import { describeIdentity, type Identity } from '../attribution/identity.js';
import { InvalidArgumentError, PermissionDeniedError, RateLimitedError } from '../errors.js';
import type { DeriveInput, DerivedKey } from '../service/key-service.js';
import { KeyCustody } from './key-custody.js';

export interface DeriveStreamComponents {
  /** KeyService.derive for the call (policy, rate limit, validation; denials logged per pid, rate-limited). */
  derive: (input: DeriveInput, ctx: CallContext) => DerivedKey;
  /** The caller of `ctx` from the kernel (SO_PEERCRED pid, bound to its process by the connection's pidfd), attributed anew. */
  callerOf: (ctx: CallContext) => Promise<Identity>;
  log: Logger;
}

type ItemError = InvalidArgumentError | PermissionDeniedError | RateLimitedError;

/** Refusals of one request, answered in its item; anything else (who the caller is, the service itself) ends the stream. */
function isItemError(err: unknown): err is ItemError {
  return err instanceof InvalidArgumentError || err instanceof PermissionDeniedError || err instanceof RateLimitedError;
}

/**
 * One response per request, in request order (`index` = the request's 0-based position). Requests are handled one at
 * a time: each is attributed (the connection's pidfd must show the connecting process still running, before and
 * after its pid is walked up to its service, so a reused pid cannot ride an old connection), then derived through
 * KeyService.derive (policy, rate limit, validation) like DeriveKey. The next request is read only once the response
 * is handed to the transport, and `send` waits while the transport is full: a client that stops reading responses
 * stops being read, and flow control bounds what is in flight. Keys are zeroed once serialised, or when the call ends.
 */
export function deriveKeysHandler({ derive, callerOf, log }: DeriveStreamComponents): BidiStreamHandler<KeysV1.DeriveKeyRequest__Output, KeysV1.DeriveKeysResponse> {
  return async (requests, ctx) => {
    const custody = new KeyCustody(ctx.signal);
    let index = 0;
    let refused = 0;
    let caller: Identity | undefined;
    try {
      for await (const request of requests) {
        ctx.signal.throwIfAborted();
        caller = await callerOf(ctx);
        let response: KeysV1.DeriveKeysResponse;
        try {
          const derived = derive({ caller, purpose: request.purpose, length: request.length, version: request.version }, ctx);
          const key = custody.hold(derived.key);
          response = { index, key: { key, version: derived.version, keyId: derived.keyId, length: derived.length, service: derived.service } };
        } catch (err) {
          if (!isItemError(err)) throw err;
          refused++;
          response = { index, error: { code: err.code, message: err.message, retryAfterMs: err instanceof RateLimitedError ? err.retryAfterMs : 0 } };
        }
        index++;
        await ctx.send(response);
      }
    } finally {
      log.debug('derive stream ended', { caller: caller ? describeIdentity(caller) : undefined, callerPid: ctx.peer?.pid, requests: index, refused });
    }
  };
}
