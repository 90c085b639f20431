// Which purposes an attributed caller may derive: the built-in rule, a policy file, and a workload's own spec.
import type { Identity } from '../attribution/identity.js';

/** What callers without an entry may do: derive any purpose (under their own name), or nothing. */
export type DefaultRule = 'allow-own' | 'deny';
export const DEFAULT_RULES: readonly DefaultRule[] = ['allow-own', 'deny'];

export interface Policy {
  /** Where it came from: `built-in` or the policy file's path. */
  readonly source: string;
  readonly default: DefaultRule;
  /** Service name → the only purposes it may derive. */
  readonly services: ReadonlyMap<string, ReadonlySet<string>>;
  /** Workload id → the only purposes it may derive. */
  readonly workloads: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Without `--policy`: every service and workload may derive any purpose under its own name. */
export const BUILT_IN_POLICY: Policy = {
  source: 'built-in',
  default: 'allow-own',
  services: new Map(),
  workloads: new Map(),
};

/** Either any purpose, or exactly the listed ones (sorted). */
export type AllowedPurposes = { any: true } | { any: false; purposes: readonly string[] };

/**
 * The caller's purposes: its policy entry if it has one, else the default rule; for a workload whose spec
 * lists `keys`, further intersected with them (the policy file is a ceiling the org cannot lift).
 */
export function allowedPurposes(policy: Policy, identity: Identity): AllowedPurposes {
  const table = identity.kind === 'workload' ? policy.workloads : policy.services;
  const entry = table.get(identity.name);
  let allowed: AllowedPurposes;
  if (entry) allowed = { any: false, purposes: [...entry].sort() };
  else if (policy.default === 'allow-own') allowed = { any: true };
  else allowed = { any: false, purposes: [] };
  if (identity.kind === 'workload' && identity.purposes) {
    const spec = new Set(identity.purposes);
    const base = allowed.any ? [...spec] : allowed.purposes.filter((p) => spec.has(p));
    allowed = { any: false, purposes: [...new Set(base)].sort() };
  }
  return allowed;
}

export function isPurposeAllowed(policy: Policy, identity: Identity, purpose: string): boolean {
  const allowed = allowedPurposes(policy, identity);
  return allowed.any || allowed.purposes.includes(purpose);
}

