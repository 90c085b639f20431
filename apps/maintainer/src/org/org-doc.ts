// The org document: one Y.Doc (members, workloads, observed, settings) behind a typed API with typed change events.
import * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import { ORG_MEMBERS_MAX, ORG_OBSERVED_MAX, ORG_WORKLOADS_MAX } from '../constants.js';
import { OrgIdFixedError, OrgLimitError } from '../errors.js';
import { ContentCheck, type ContentCounters, checkMemberKey } from './content-check.js';
import {
  type MemberRecord,
  type ObservedStatus,
  type OrgSettings,
  observedKey,
  validateMember,
  validateObserved,
  validateSettings,
} from './org-records.js';
import { type WorkloadSpec, validateWorkloadSpec } from '@fortros/workload-spec';

/** Names of the document's top-level maps; part of the replicated format, never renamed. */
export const ORG_MAPS = { members: 'members', workloads: 'workloads', observed: 'observed', settings: 'settings' } as const;

/** The transaction origin of an update received from a peer. */
export interface PeerOrigin {
  readonly peer: string;
}

export function peerOrigin(peer: string): PeerOrigin {
  return Object.freeze({ peer });
}

export type ChangeAction = 'add' | 'update' | 'delete';

interface ChangeBase {
  action: ChangeAction;
  /** True when made through this process's API; false when applied from a peer or loaded from disk. */
  local: boolean;
  /** The peer whose update carried the change, when the origin is a PeerOrigin. */
  peer: string | null;
}

export interface OrgEvents {
  'workload:changed': ChangeBase & { id: string; spec: WorkloadSpec | undefined };
  'member:changed': ChangeBase & { id: string; member: MemberRecord | undefined };
  'observed:changed': ChangeBase & { key: string; status: ObservedStatus | undefined };
  'settings:changed': ChangeBase & { key: string };
}
export type OrgEventName = keyof OrgEvents;

/** What makes a write durable; the OrgStore provides it. Writes resolve only after `flush()` does. */
export interface OrgDurability {
  flush(): Promise<void>;
  /** Throws when a write cannot be persisted now (disk full): checked before a local write touches the document. */
  checkWritable?(): void;
}

export interface OrgDocumentComponents {
  log: Logger;
  /** The document to wrap (a fresh one by default). */
  doc?: Y.Doc;
  durability?: OrgDurability;
}

export interface OrgJSON {
  members: Record<string, MemberRecord>;
  workloads: Record<string, WorkloadSpec>;
  observed: Record<string, ObservedStatus>;
  settings: OrgSettings;
}

type Listeners = { [K in OrgEventName]: Set<(event: OrgEvents[K]) => void> };

export class OrgDocument {
  readonly doc: Y.Doc;
  private readonly log: Logger;
  private readonly durability: OrgDurability | undefined;
  private readonly members: Y.Map<MemberRecord>;
  private readonly workloads: Y.Map<WorkloadSpec>;
  private readonly observed: Y.Map<ObservedStatus>;
  private readonly settingsMap: Y.Map<unknown>;
  private readonly listeners: Listeners = {
    'workload:changed': new Set(),
    'member:changed': new Set(),
    'observed:changed': new Set(),
    'settings:changed': new Set(),
  };
  private readonly unobserve: (() => void)[] = [];
  private readonly check: ContentCheck;

  constructor(components: OrgDocumentComponents) {
    this.doc = components.doc ?? new Y.Doc();
    this.log = components.log;
    this.durability = components.durability;
    this.check = new ContentCheck({ log: this.log });
    this.members = this.doc.getMap(ORG_MAPS.members);
    this.workloads = this.doc.getMap(ORG_MAPS.workloads);
    this.observed = this.doc.getMap(ORG_MAPS.observed);
    this.settingsMap = this.doc.getMap(ORG_MAPS.settings);
    this.watch(this.workloads, (key, base) => this.emit('workload:changed', { ...base, id: key, spec: this.getWorkload(key) }));
    this.watch(this.members, (key, base) => this.emit('member:changed', { ...base, id: key, member: this.getMember(key) }));
    this.watch(this.observed, (key, base) => this.emit('observed:changed', { ...base, key, status: this.getObservedByKey(key) }));
    this.watch(this.settingsMap, (key, base) => {
      this.settings(); // checked (and a bad value counted) as it arrives, not only when read
      this.emit('settings:changed', { ...base, key });
    });
  }

  /** Subscribe to a typed change event; returns the unsubscribe function. */
  on<K extends OrgEventName>(event: K, listener: (e: OrgEvents[K]) => void): () => void {
    const set = this.listeners[event] as Set<(e: OrgEvents[K]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Detaches from the Y.Doc (the doc itself stays usable). */
  destroy(): void {
    for (const off of this.unobserve.splice(0)) off();
    for (const set of Object.values(this.listeners)) set.clear();
  }

  // ---- workloads (desired state) ----

  /** Validates, stores and (with durability) persists a workload spec; resolves to the normalised spec. */
  async putWorkload(input: unknown): Promise<WorkloadSpec> {
    const spec = validateWorkloadSpec(input);
    this.durability?.checkWritable?.();
    this.checkRoom(this.workloads, ORG_MAPS.workloads, spec.id, ORG_WORKLOADS_MAX);
    this.doc.transact(() => this.workloads.set(spec.id, spec));
    await this.durability?.flush();
    return spec;
  }

  /** Resolves true when the workload existed. */
  async deleteWorkload(id: string): Promise<boolean> {
    const existed = this.workloads.has(id);
    if (existed) this.durability?.checkWritable?.();
    if (existed) this.doc.transact(() => this.workloads.delete(id));
    await this.durability?.flush();
    return existed;
  }

  /** The valid spec stored under `id` (an invalid entry reads as absent, and is counted and reported). */
  getWorkload(id: string): WorkloadSpec | undefined {
    return this.check.workload(id, copy(this.workloads.get(id)));
  }

  /** Every valid workload spec, sorted by id (invalid entries are skipped). */
  listWorkloads(): WorkloadSpec[] {
    return validValues(this.workloads, (k, v) => this.check.workload(k, v));
  }

  // ---- members ----

  async putMember(input: unknown): Promise<MemberRecord> {
    const member = checkMemberKey(validateMember(input));
    this.durability?.checkWritable?.();
    this.checkRoom(this.members, ORG_MAPS.members, member.id, ORG_MEMBERS_MAX);
    this.doc.transact(() => this.members.set(member.id, member));
    await this.durability?.flush();
    return member;
  }

  async deleteMember(id: string): Promise<boolean> {
    const existed = this.members.has(id);
    if (existed) this.durability?.checkWritable?.();
    if (existed) this.doc.transact(() => this.members.delete(id));
    await this.durability?.flush();
    return existed;
  }

  /** The valid record stored under `id` (bad fields, or a public key that is not this id's, read as absent). */
  getMember(id: string): MemberRecord | undefined {
    return this.check.member(id, copy(this.members.get(id)));
  }

  /** Every valid member record, sorted by id (invalid entries are skipped). */
  listMembers(): MemberRecord[] {
    return validValues(this.members, (k, v) => this.check.member(k, v));
  }

  // ---- observed status (reported by each node's reconciler) ----

  async putObserved(input: unknown): Promise<ObservedStatus> {
    const status = validateObserved(input);
    const key = observedKey(status.node, status.workload);
    this.durability?.checkWritable?.();
    this.checkRoom(this.observed, ORG_MAPS.observed, key, ORG_OBSERVED_MAX);
    this.doc.transact(() => this.observed.set(key, status));
    await this.durability?.flush();
    return status;
  }

  async deleteObserved(node: string, workload: string): Promise<boolean> {
    const key = observedKey(node, workload);
    const existed = this.observed.has(key);
    if (existed) this.durability?.checkWritable?.();
    if (existed) this.doc.transact(() => this.observed.delete(key));
    await this.durability?.flush();
    return existed;
  }

  getObserved(node: string, workload: string): ObservedStatus | undefined {
    return this.getObservedByKey(observedKey(node, workload));
  }

  /** Observed statuses, optionally only those of one node and/or one workload. */
  listObserved(filter: { node?: string; workload?: string } = {}): ObservedStatus[] {
    return sortedValues(this.observed).filter(
      (s) => (filter.node === undefined || s.node === filter.node) && (filter.workload === undefined || s.workload === filter.workload),
    );
  }

  private getObservedByKey(key: string): ObservedStatus | undefined {
    return copy(this.observed.get(key));
  }

  // ---- settings ----

  /** The org settings in use: each the last valid value seen (defaults until then); the org id never changes once set. */
  settings(): OrgSettings {
    return this.check.settings(this.settingsMap);
  }

  /** Adopts this node's own record of the settings (ContentCheck.seed) and returns the settings then in use. */
  adoptSettings(known: Partial<OrgSettings>): OrgSettings {
    this.check.seed(known);
    return this.settings();
  }

  /** Invalid content refused so far (counted once per distinct entry). */
  contentCounters(): ContentCounters {
    return { ...this.check.counters };
  }

  async updateSettings(input: unknown): Promise<OrgSettings> {
    const partial = validateSettings(input);
    const orgId = this.settings().orgId;
    if (partial.orgId !== undefined && orgId !== '' && partial.orgId !== orgId) throw new OrgIdFixedError(orgId, partial.orgId);
    this.durability?.checkWritable?.();
    this.doc.transact(() => {
      for (const [k, v] of Object.entries(partial)) this.settingsMap.set(k, v);
    });
    await this.durability?.flush();
    return this.settings();
  }

  /** The whole document as plain JSON (the `org get` view). */
  toJSON(): OrgJSON {
    return {
      members: Object.fromEntries(this.listMembers().map((m) => [m.id, m])),
      workloads: Object.fromEntries(this.listWorkloads().map((w) => [w.id, w])),
      observed: Object.fromEntries(this.listObserved().map((s) => [observedKey(s.node, s.workload), s])),
      settings: this.settings(),
    };
  }

  // ---- internals ----

  private checkRoom<T>(map: Y.Map<T>, name: string, key: string, max: number): void {
    if (!map.has(key) && map.size >= max) throw new OrgLimitError(name, max);
  }

  private watch<T>(map: Y.Map<T>, onKey: (key: string, base: ChangeBase) => void): void {
    const observer = (event: Y.YMapEvent<T>, tx: Y.Transaction): void => {
      const peer = originPeer(tx.origin);
      for (const [key, change] of event.changes.keys) {
        onKey(key, { action: change.action, local: tx.local, peer });
      }
    };
    map.observe(observer);
    this.unobserve.push(() => map.unobserve(observer));
  }

  private emit<K extends OrgEventName>(event: K, payload: OrgEvents[K]): void {
    for (const listener of this.listeners[event] as Set<(e: OrgEvents[K]) => void>) {
      try {
        listener(payload);
      } catch (err) {
        this.log.error('org event listener threw', { event, err });
      }
    }
  }
}

function originPeer(origin: unknown): string | null {
  if (typeof origin === 'object' && origin !== null && typeof (origin as { peer?: unknown }).peer === 'string') {
    return (origin as PeerOrigin).peer;
  }
  return null;
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}

/** The entries `valid` accepts, sorted by key (copies). */
function validValues<T>(map: Y.Map<T>, valid: (key: string, value: T) => T | undefined): T[] {
  const out: T[] = [];
  for (const k of [...map.keys()].sort()) {
    const v = valid(k, structuredClone(map.get(k) as T));
    if (v !== undefined) out.push(v);
  }
  return out;
}

function sortedValues<T>(map: Y.Map<T>): T[] {
  return [...map.keys()].sort().map((k) => structuredClone(map.get(k) as T));
}
