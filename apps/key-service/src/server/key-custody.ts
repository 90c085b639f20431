// Derived keys in a call's responses until they reach the wire: zeroed once serialised, or all at once when the call ends.
import type { LoadedApi } from '@fortros/proto';

/** Which custody holds a key that is in a response not yet serialised. Weak: a key is never kept alive by it. */
const custodyOf = new WeakMap<Buffer, KeyCustody>();

/** The signal was aborted before the key could be handed over: the call is over or cancelled. */
function cancelled(): Error {
  const err = new Error('the call was cancelled');
  err.name = 'AbortError';
  return err;
}

/**
 * The keys of one call's responses. A key handed to `hold` is zeroed by the method table's serialiser right after it
 * is encoded for the wire (`zeroingKeysApi`); whatever was never serialised (the call was cancelled with responses
 * still queued) is zeroed when the call's signal aborts, which libs/rpc does when the call ends, whatever its outcome.
 * The set holds only keys not yet serialised, so flow control bounds it.
 */
export class KeyCustody {
  private readonly held = new Set<Buffer>();
  private closed = false;

  constructor(signal: AbortSignal) {
    if (signal.aborted) this.closed = true;
    else signal.addEventListener('abort', () => this.zeroAll(), { once: true });
  }

  /** Keys handed over and not yet serialised. */
  get size(): number {
    return this.held.size;
  }

  /** Take `key` (the caller's buffer, not a copy) into custody for a response; a closed call zeroes it and throws. */
  hold(key: Buffer): Buffer {
    if (this.closed) {
      key.fill(0);
      throw cancelled();
    }
    this.held.add(key);
    custodyOf.set(key, this);
    return key;
  }

  /** Called by the serialiser: the key is on its way to the wire, zero it and forget it. */
  static serialised(key: unknown): void {
    if (!Buffer.isBuffer(key)) return;
    key.fill(0);
    const custody = custodyOf.get(key);
    if (custody) {
      custody.held.delete(key);
      custodyOf.delete(key);
    }
  }

  private zeroAll(): void {
    this.closed = true;
    for (const key of this.held) {
      key.fill(0);
      custodyOf.delete(key);
    }
    this.held.clear();
  }
}

type Serialize = (value: unknown) => Buffer;

/** `api` with the response serialiser of `methods` wrapped: once encoded for the wire, `keyOf(value)` is zeroed. */
export function zeroingSerializers<H>(api: LoadedApi<H>, methods: Record<string, (response: never) => unknown>): LoadedApi<H> {
  const definition = { ...api.definition };
  for (const [name, keyOf] of Object.entries(methods)) {
    const method = definition[name];
    if (!method) throw new TypeError(`${api.serviceName}: no ${name} method`);
    const serialize = method.responseSerialize as Serialize;
    const zeroing: Serialize = (value) => {
      try {
        return serialize(value);
      } finally {
        KeyCustody.serialised((keyOf as (response: unknown) => unknown)(value));
      }
    };
    definition[name] = { ...method, responseSerialize: zeroing };
  }
  return { ...api, definition };
}
