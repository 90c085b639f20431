// Content checks where the org document is read: bad entries are never handed out, each is counted once and logged (rate-limited).
import type { Logger } from '@fortros/log';
import { ORG_BAD_CONTENT_LOG_MAX, ORG_BAD_CONTENT_LOG_WINDOW_MS, ORG_BAD_CONTENT_REMEMBERED_MAX } from '../constants.js';
import { OrgRecordError } from '../errors.js';
import { nodeIdOf } from '../node/identity.js';
import { DEFAULT_ORG_SETTINGS, type MemberRecord, type OrgSettings, validateMember, validateSettings } from './org-records.js';
import { show, type WorkloadSpec, validateWorkloadSpec, WorkloadSpecError } from '@fortros/workload-spec';

/** What was refused, by kind; all counters only grow. */
export interface ContentCounters {
  badWorkloads: number;
  badMembers: number;
  badSettings: number;
  orgIdChangeAttempts: number;
}

export interface ContentCheckComponents {
  log: Logger;
  /** ms clock for the log rate limit (default Date.now). */
  clock?: () => number;
}

type Kind = 'workload' | 'member' | 'setting' | 'orgId';

const PUBLIC_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** Fails unless the record's public key is a WireGuard key whose node id is the record's id (ids derive from keys). */
export function checkMemberKey(m: MemberRecord): MemberRecord {
  if (!PUBLIC_KEY.test(m.publicKey)) throw new OrgRecordError('publicKey', `expected a base64 WireGuard public key (32 bytes), got ${show(m.publicKey)}`);
  const derived = nodeIdOf(m.publicKey);
  if (derived !== m.id) throw new OrgRecordError('publicKey', `belongs to node ${derived}, not to ${m.id}`);
  return m;
}

/**
 * The org document is written by every member, so nothing read from it is trusted: a workload spec, a member record
 * or a setting that fails its check is skipped (readers see it absent, settings keep their last valid value). Each
 * distinct bad entry (key + content) is counted once and logged naming the entry and the field, at most
 * ORG_BAD_CONTENT_LOG_MAX lines per ORG_BAD_CONTENT_LOG_WINDOW_MS.
 */
export class ContentCheck {
  readonly counters: ContentCounters = { badWorkloads: 0, badMembers: 0, badSettings: 0, orgIdChangeAttempts: 0 };
  private readonly log: Logger;
  private readonly clock: () => number;
  /** Distinct bad entries seen: `kind/key` → rendering of the bad content (bounded, oldest forgotten first). */
  private readonly seen = new Map<string, string>();
  private windowStart = -Infinity;
  private logged = 0;
  private suppressed = 0;
  /** Settings in use: the last valid value of each. */
  private current: OrgSettings = { ...DEFAULT_ORG_SETTINGS };

  constructor(c: ContentCheckComponents) {
    this.log = c.log;
    this.clock = c.clock ?? Date.now;
  }

  /** The spec stored under `key`, or undefined when it is invalid or stored under another id. */
  workload(key: string, raw: unknown): WorkloadSpec | undefined {
    if (raw === undefined) return undefined;
    try {
      const spec = validateWorkloadSpec(raw);
      if (spec.id !== key) throw new WorkloadSpecError('id', `expected the entry's key ${JSON.stringify(key)}, got ${show(spec.id)}`);
      return spec;
    } catch (err) {
      return this.refuse('workload', key, raw, err);
    }
  }

  /** The member record stored under `key`, or undefined when invalid: a bad field, or a key or id its public key does not derive. */
  member(key: string, raw: unknown): MemberRecord | undefined {
    if (raw === undefined) return undefined;
    try {
      const m = validateMember(raw);
      if (m.id !== key) throw new OrgRecordError('id', `expected the entry's key ${JSON.stringify(key)}, got ${show(m.id)}`);
      return checkMemberKey(m);
    } catch (err) {
      return this.refuse('member', key, raw, err);
    }
  }

  /**
   * The settings in use, given the raw settings map: each valid value replaces the one in use; an invalid one is
   * refused and the last valid value stays. The org id, once set, never changes: a different one is counted as an
   * attempt and ignored.
   */
  settings(raw: { has(key: string): boolean; get(key: string): unknown }): OrgSettings {
    const next = { ...this.current };
    for (const key of Object.keys(DEFAULT_ORG_SETTINGS) as (keyof OrgSettings)[]) {
      if (!raw.has(key)) continue;
      const value = raw.get(key);
      let valid: Partial<OrgSettings>;
      try {
        valid = validateSettings({ [key]: value });
      } catch (err) {
        this.refuse('setting', key, value, err);
        continue;
      }
      const v = valid[key];
      if (v === undefined) continue;
      if (key === 'orgId' && this.current.orgId !== '' && v !== this.current.orgId) {
        this.refuse('orgId', key, value, new OrgRecordError('settings.orgId', `the org id is ${JSON.stringify(this.current.orgId)} and never changes under a running node, got ${show(v)}`));
        continue;
      }
      next[key] = v;
    }
    this.current = next;
    return { ...next };
  }

  /**
   * Takes `known` (this node's own record of its org: persist/maintainer/mesh.json) as the settings in use, before
   * or after the document's were read: a restart then keeps the org id it joined, even when the document it loads
   * holds a peer's changed one, and an overlay range the document holds as junk stays the known one.
   */
  seed(known: Partial<OrgSettings>): void {
    this.current = { ...this.current, ...validateSettings(known) };
  }

  /** Counts a bad entry the first time this exact content is seen under this key, and logs it (rate-limited). */
  private refuse(kind: Kind, key: string, raw: unknown, err: unknown): undefined {
    if (!(err instanceof WorkloadSpecError || err instanceof OrgRecordError)) throw err;
    const id = `${kind}/${key}`;
    const content = show(raw);
    if (this.seen.get(id) === content) return undefined;
    this.seen.delete(id);
    if (this.seen.size >= ORG_BAD_CONTENT_REMEMBERED_MAX) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(id, content);
    if (kind === 'workload') this.counters.badWorkloads++;
    else if (kind === 'member') this.counters.badMembers++;
    else if (kind === 'setting') this.counters.badSettings++;
    else this.counters.orgIdChangeAttempts++;
    this.report(kind, key, err.field, err.reason);
    return undefined;
  }

  private report(kind: Kind, key: string, field: string, reason: string): void {
    const now = this.clock();
    if (now - this.windowStart >= ORG_BAD_CONTENT_LOG_WINDOW_MS) {
      if (this.suppressed > 0) this.log.warn('org document: more invalid entries were refused (not logged)', { suppressed: this.suppressed });
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged >= ORG_BAD_CONTENT_LOG_MAX) {
      this.suppressed++;
      return;
    }
    this.logged++;
    const what = kind === 'orgId' ? 'org document: refused a change of the org id' : `org document: invalid ${kind} refused, not acted on`;
    this.log.warn(what, { entry: key, field, reason });
  }
}
