// @fortros/key-service: the key service core (derivation, master key, attribution, policy), for main.ts to wire.
export * from './constants.js';
export * from './errors.js';
export { hkdf, hkdfExpand, hkdfExtract, HKDF_SHA256_MAX_OUTPUT_BYTES, SHA256_BYTES } from './crypto/hkdf.js';
export {
  deriveKey,
  describe,
  encodeKeyInfo,
  extractMasterPrk,
  isValidName,
  keyId,
  KEY_ID_LABEL,
  KEY_INFO_LABEL,
  lengthPrefixed,
  MASTER_FINGERPRINT_LABEL,
  masterFingerprint,
  normalizeDeriveRequest,
  type DeriveParams,
  type DeriveRequestFields,
} from './crypto/derivation.js';
export {
  loadOrCreateMasterKey,
  MASTER_KEY_RELATIVE_PATH,
  masterKeyPath,
  type MasterKey,
  type MasterKeyOptions,
} from './crypto/master-key.js';
export {
  describeIdentity,
  keySubject,
  type DirectoryEntry,
  type Identity,
  type IdentityKind,
  type ServiceDirectory,
} from './attribution/identity.js';
export { Attributor, type AttributeOptions, type AttributorComponents } from './attribution/attributor.js';
export {
  allowedPurposes,
  BUILT_IN_POLICY,
  DEFAULT_RULES,
  isPurposeAllowed,
  type AllowedPurposes,
  type DefaultRule,
  type Policy,
} from './policy/policy.js';
export { loadPolicyFile, parsePolicy } from './policy/policy-file.js';
export { RateLimiter, type RateDecision, type RateLimiterOptions } from './policy/rate-limit.js';
export {
  KeyService,
  type DeriveInput,
  type DerivedKey,
  type Health,
  type KeyServiceComponents,
  type KeyServiceEvents,
  type KeyServiceOptions,
  type KeyServiceState,
  type KeyServiceStatus,
  type PurposeList,
} from './service/key-service.js';
export { InitServiceDirectory, toEntries } from './server/init-directory.js';
export { keysApi, keysHandlers, zeroingKeysApi, type KeysApiComponents } from './server/keys-api.js';
export { KeysDaemon, type KeysDaemonComponents, type KeysDaemonOptions } from './server/keys-daemon.js';
export { parseCommandLine, USAGE, type CommandLine, type KeysCommandOptions } from './options.js';
