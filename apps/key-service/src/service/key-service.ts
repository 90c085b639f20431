// The key service core: master key lifecycle, health, and derive / listPurposes / status for attributed callers.
import { EventEmitter } from 'node:events';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '@fortros/log';
import { describeIdentity, keySubject, type Identity } from '../attribution/identity.js';
import { MAX_POLICY_PURPOSES, NAME_PATTERN_TEXT, WORKLOAD_SUBJECT_PREFIX } from '../constants.js';
import {
  deriveKey,
  extractMasterPrk,
  isValidName,
  keyId,
  normalizeDeriveRequest,
  type DeriveRequestFields,
} from '../crypto/derivation.js';
import { loadOrCreateMasterKey, type MasterKey } from '../crypto/master-key.js';
import { MasterKeyFileError, MasterKeyUnavailableError, PermissionDeniedError, RateLimitedError } from '../errors.js';
import { loadPolicyFile } from '../policy/policy-file.js';
import { allowedPurposes, BUILT_IN_POLICY, type Policy } from '../policy/policy.js';
import { RateLimiter, type RateLimiterOptions } from '../policy/rate-limit.js';

export interface KeyServiceOptions {
  /** The node root (`--root`); the master key is `<root>/persist/keys/master.key`. */
  root: string;
  /** `--policy FILE`; without it (and without `policy`) the built-in allow-own policy applies. */
  policyFile?: string;
  /** An already-built policy (tests, embedding); wins over policyFile. */
  policy?: Policy;
  rateLimit?: RateLimiterOptions;
}

export interface KeyServiceComponents {
  logger: Logger;
  /** Loads (or creates) the master key; default loadOrCreateMasterKey. */
  loadMasterKey?: (root: string) => Promise<MasterKey>;
}

export interface DeriveInput extends DeriveRequestFields {
  /** The attributed caller: from the kernel (SO_PEERCRED + ancestry), never from the request. */
  caller: Identity;
}

export interface DerivedKey {
  /** The key bytes. Owned by the caller: serialize, then `key.fill(0)`. */
  key: Buffer;
  version: number;
  /** Non-secret fingerprint (see keyId). */
  keyId: string;
  length: number;
  /** The subject the key was derived for (`web`, or `workload.<id>`). */
  service: string;
}

export interface PurposeList {
  /** True when the caller may derive any purpose; `purposes` is then empty. */
  anyPurpose: boolean;
  /** The purposes the caller may derive, sorted (≤ MAX_POLICY_PURPOSES). */
  purposes: string[];
}

/** `stopped` → start() → `serving` (master key loaded) or `not-serving` (key refused; reason set). */
export type KeyServiceState = 'stopped' | 'starting' | 'serving' | 'not-serving';
export type Health = 'SERVING' | 'NOT_SERVING';

export interface KeyServiceStatus {
  state: KeyServiceState;
  health: Health;
  masterKeyLoaded: boolean;
  /** Non-secret; empty when no key is loaded. */
  masterKeyFingerprint: string;
  /** True when this run generated the master key (first boot). */
  masterKeyCreated: boolean;
  /** Why the service is not serving (the key file error, naming the file and the fix). */
  reason: string;
  policySource: string;
  derivations: bigint;
  denied: bigint;
  rateLimited: bigint;
  trackedCallers: number;
}

export interface KeyServiceEvents {
  'health:changed': [health: Health, reason: string];
}

interface Loaded {
  prk: KeyObject;
  fingerprint: string;
  created: boolean;
}

export class KeyService extends EventEmitter<KeyServiceEvents> {
  private readonly log: Logger;
  private readonly loadMasterKey: (root: string) => Promise<MasterKey>;
  private readonly limiter: RateLimiter;
  private policy: Policy;
  private state: KeyServiceState = 'stopped';
  private loaded: Loaded | undefined;
  private reason = 'not started';
  private starting: Promise<void> | undefined;
  private counters = { derivations: 0n, denied: 0n, rateLimited: 0n };

  constructor(
    private readonly options: KeyServiceOptions,
    components: KeyServiceComponents,
  ) {
    super();
    if (typeof options.root !== 'string' || options.root === '') {
      throw new TypeError(`key service root: expected a directory path, got ${JSON.stringify(options.root)}`);
    }
    this.log = components.logger.child({ component: 'keys:service' });
    this.loadMasterKey = components.loadMasterKey ?? ((root) => loadOrCreateMasterKey(root));
    this.limiter = new RateLimiter(options.rateLimit);
    this.policy = options.policy ?? BUILT_IN_POLICY;
  }

  /**
   * Load the policy (a bad policy file rejects: it is a configuration error) and the master key (a refused key
   * file does not reject: the service stays up, NOT_SERVING, with the reason in status()). Idempotent.
   */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return this.starting;
    this.state = 'starting';
    this.starting = (async () => {
      try {
        if (!this.options.policy && this.options.policyFile) this.policy = await loadPolicyFile(this.options.policyFile);
      } catch (err) {
        this.state = 'stopped';
        throw err;
      }
      this.log.info('policy loaded', { source: this.policy.source, default: this.policy.default });
      await this.loadKey();
    })();
    return this.starting;
  }

  /** Try the master key again (e.g. after the operator fixed its mode). No-op unless not-serving. */
  async retryMasterKey(): Promise<void> {
    if (this.state === 'not-serving') await this.loadKey();
  }

  /** Forget the master key and all per-caller state. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    await this.starting?.catch(() => undefined);
    this.loaded = undefined; // KeyObjects are freed (and their memory cleansed by OpenSSL) when collected
    this.limiter.clear();
    this.setState('stopped', 'stopped');
  }

  get health(): Health {
    return this.state === 'serving' ? 'SERVING' : 'NOT_SERVING';
  }

  /**
   * Derive the caller's key. Throws InvalidArgumentError subclasses (bad purpose, length, version),
   * PermissionDeniedError, RateLimitedError or MasterKeyUnavailableError. Never logs key material.
   */
  derive(input: DeriveInput): DerivedKey {
    const loaded = this.loaded;
    if (this.state !== 'serving' || !loaded) {
      throw new MasterKeyUnavailableError('the key service has no usable master key');
    }
    const service = this.subjectOf(input.caller);
    const decision = this.limiter.take(service);
    if (!decision.allowed) {
      this.counters.rateLimited++;
      throw new RateLimitedError(
        `${describeIdentity(input.caller)}: derivation rate limit exceeded; retry in ${decision.retryAfterMs} ms`,
        decision.retryAfterMs,
      );
    }
    const request = normalizeDeriveRequest(input);
    const allowed = allowedPurposes(this.policy, input.caller);
    if (!allowed.any && !allowed.purposes.includes(request.purpose)) {
      this.counters.denied++;
      // counted in status(); the API warns about it, rate-limited per caller pid
      this.log.debug('purpose denied', { caller: describeIdentity(input.caller), purpose: request.purpose });
      throw new PermissionDeniedError(
        `${describeIdentity(input.caller)} may not derive purpose "${request.purpose}" (policy ${this.policy.source})`,
      );
    }
    const params = { service, ...request };
    const key = deriveKey(loaded.prk, params);
    this.counters.derivations++;
    return { key, version: params.version, keyId: keyId(key), length: params.length, service };
  }

  /** The purposes the caller may derive (names only). */
  listPurposes(caller: Identity): PurposeList {
    this.subjectOf(caller);
    const allowed = allowedPurposes(this.policy, caller);
    if (allowed.any) return { anyPurpose: true, purposes: [] };
    return { anyPurpose: false, purposes: allowed.purposes.slice(0, MAX_POLICY_PURPOSES) };
  }

  status(): KeyServiceStatus {
    return {
      state: this.state,
      health: this.health,
      masterKeyLoaded: this.loaded !== undefined,
      masterKeyFingerprint: this.loaded?.fingerprint ?? '',
      masterKeyCreated: this.loaded?.created ?? false,
      reason: this.state === 'serving' ? '' : this.reason,
      policySource: this.policy.source,
      derivations: this.counters.derivations,
      denied: this.counters.denied,
      rateLimited: this.counters.rateLimited,
      trackedCallers: this.limiter.size,
    };
  }

  /** The key subject of a caller; a name that cannot be one (pattern, reserved prefix) is refused. */
  private subjectOf(caller: Identity): string {
    const subject = keySubject(caller);
    if (!isValidName(subject) || (caller.kind === 'service' && caller.name.startsWith(WORKLOAD_SUBJECT_PREFIX))) {
      throw new PermissionDeniedError(
        `${describeIdentity(caller)}: its name cannot be a key subject (expected ${NAME_PATTERN_TEXT}, ` +
          `not starting with "${WORKLOAD_SUBJECT_PREFIX}" for services)`,
      );
    }
    return subject;
  }

  private async loadKey(): Promise<void> {
    try {
      const master = await this.loadMasterKey(this.options.root);
      const prk = extractMasterPrk(master.key);
      if (this.state === 'stopped') return; // stopped while loading
      this.loaded = { prk, fingerprint: master.fingerprint, created: master.created };
      this.log.info(master.created ? 'master key created' : 'master key loaded', {
        path: master.path,
        fingerprint: master.fingerprint,
      });
      this.setState('serving', '');
    } catch (err) {
      if (!(err instanceof MasterKeyFileError)) {
        this.log.error('master key could not be loaded', { err });
      } else {
        this.log.error('master key refused', { path: err.path, reason: err.message });
      }
      if (this.state === 'stopped') return;
      this.setState('not-serving', err instanceof Error ? err.message : String(err));
    }
  }

  private setState(state: KeyServiceState, reason: string): void {
    const before = this.health;
    this.state = state;
    this.reason = reason;
    if (this.health !== before || state === 'not-serving') this.emit('health:changed', this.health, reason);
  }
}
