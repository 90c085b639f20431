// The link to the maintainer: this node's identity, the desired workloads and the members, each kept current by a
// watch stream that reconnects with backoff. While the maintainer is away the last known state stays (workloads
// keep running); `synced` says whether both snapshots have been received at least once.
import type { Logger } from '@fortros/log';
import { MaintainerV1 } from '@fortros/proto';
import { validateWorkloadSpec, WorkloadSpecError } from '@fortros/workload-spec';
import { closeClient, createClient, serverStream, unary } from '@fortros/rpc';
import { CALL_TIMEOUT_MS, MAX_MEMBERS, MAX_WORKLOADS } from '../constants.js';
import { SpecJsonError } from '../errors.js';
import type { MemberState, PlacementMember } from '../plan/placement.js';
import type { WorkloadSpec } from '../spec.js';
import { Backoff } from './backoff.js';

const MEMBER_STATES: Record<string, MemberState> = {
  MEMBER_STATE_ALIVE: 'alive',
  MEMBER_STATE_SUSPECT: 'suspect',
  MEMBER_STATE_DEAD: 'dead',
  MEMBER_STATE_LEFT: 'left',
};

export interface MaintainerLinkComponents {
  socketPath: string;
  logger: Logger;
  /** Called after every change of specs or members (a pass is due). */
  onChange: () => void;
}

/** A spec_json as the maintainer stores it, checked again here (content is validated where it is used, DESIGN §8). */
export function parseSpecJson(id: string, json: string): WorkloadSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(json);
  } catch (err) {
    throw new SpecJsonError(id, (err as Error).message);
  }
  let checked: WorkloadSpec;
  try {
    checked = validateWorkloadSpec(spec);
  } catch (err) {
    if (err instanceof WorkloadSpecError) throw new SpecJsonError(id, err.message);
    throw err;
  }
  if (checked.id !== id) throw new SpecJsonError(id, `expected a spec with id ${id}, got ${checked.id}`);
  return checked;
}

export class MaintainerLink {
  readonly specs = new Map<string, WorkloadSpec>();
  readonly members = new Map<string, PlacementMember>();
  self: { id: string; name: string } | undefined;
  private readonly log: Logger;
  private client: MaintainerV1.MaintainerClient | undefined;
  private controller: AbortController | undefined;
  private workloadsSynced = false;
  private membersSynced = false;
  private syncWaiters: (() => void)[] = [];

  constructor(private readonly c: MaintainerLinkComponents) {
    this.log = c.logger.child({ component: 'reconciler:maintainer' });
  }

  get synced(): boolean {
    return this.self !== undefined && this.workloadsSynced && this.membersSynced;
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    this.client = createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), this.c.socketPath);
    void this.watchLoop('workloads', this.controller.signal);
    void this.watchLoop('members', this.controller.signal);
  }

  stop(): void {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = undefined;
    if (this.client) closeClient(this.client);
    this.client = undefined;
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** Resolves once identity, workloads and members have each been received (rejects if `signal` aborts). */
  whenSynced(signal: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => (signal.removeEventListener('abort', onAbort), signal.aborted ? undefined : resolve()));
    });
  }

  /** Send one observed status; throws when the maintainer cannot take it now. */
  async report(status: object, signal: AbortSignal): Promise<void> {
    if (!this.client) throw new Error('maintainer link stopped');
    await unary(this.client, 'reportObserved', { statusJson: JSON.stringify(status) }, { timeoutMs: CALL_TIMEOUT_MS, signal });
  }

  private async watchLoop(what: 'workloads' | 'members', signal: AbortSignal): Promise<void> {
    const backoff = new Backoff();
    while (!signal.aborted) {
      try {
        if (this.self === undefined) {
          const node = await unary(this.client!, 'getNode', {}, { timeoutMs: CALL_TIMEOUT_MS, signal });
          this.self ??= { id: node.id, name: node.name };
          this.log.info('connected', { node: node.id, name: node.name });
        }
        if (what === 'workloads') await this.watchWorkloads(signal, () => backoff.reset());
        else await this.watchMembers(signal, () => backoff.reset());
        throw new Error('stream ended');
      } catch (err) {
        if (signal.aborted) return;
        this.log.warn(`watching ${what} failed; retrying`, { err: (err as Error).message });
      }
      try {
        await backoff.wait(signal);
      } catch {
        return;
      }
    }
  }

  private async watchWorkloads(signal: AbortSignal, onSynced: () => void): Promise<void> {
    const events = serverStream(this.client!, 'watchWorkloads', { includeCurrent: true }, { signal });
    await this.follow('workloads', events, this.specs, MAX_WORKLOADS, () => ((this.workloadsSynced = true), onSynced()), (e) => {
      if (e.type === 'TYPE_DELETED') return { key: e.id, value: undefined };
      try {
        return { key: e.id, value: parseSpecJson(e.id, e.specJson) };
      } catch (err) {
        this.log.warn('ignoring a workload spec', { err: (err as Error).message });
        return undefined;
      }
    });
  }

  private async watchMembers(signal: AbortSignal, onSynced: () => void): Promise<void> {
    const events = serverStream(this.client!, 'watchMembers', { includeCurrent: true }, { signal });
    await this.follow('members', events, this.members, MAX_MEMBERS, () => ((this.membersSynced = true), onSynced()), (e) => {
      const m = e.member;
      if (!m) return undefined;
      return { key: m.id, value: { id: m.id, name: m.name, state: MEMBER_STATES[m.state] ?? 'dead', labels: { ...m.labels } } };
    });
  }

  /**
   * One watch stream into `target`: the snapshot (CURRENT events) is gathered aside and replaces `target` at SYNCED,
   * so a reconnect never shows a half-received state; later events apply at once. `entry` gives an event's key and
   * its new value (undefined: removed), or undefined to skip it. At most `max` entries.
   */
  private async follow<E extends { type: string }, V>(
    what: 'workloads' | 'members',
    events: AsyncIterable<E>,
    target: Map<string, V>,
    max: number,
    onSynced: () => void,
    entry: (e: E) => { key: string; value: V | undefined } | undefined,
  ): Promise<void> {
    const snapshot = new Map<string, V>();
    let live = false;
    for await (const e of events) {
      if (e.type === 'TYPE_SYNCED') {
        target.clear();
        for (const [k, v] of snapshot) target.set(k, v);
        live = true;
        this.log.info(`${what} synced`, { count: target.size });
        onSynced();
        this.changed();
        continue;
      }
      const change = entry(e);
      if (change === undefined) continue;
      const into = live ? target : snapshot;
      if (change.value === undefined) into.delete(change.key);
      else if (into.size < max || into.has(change.key)) into.set(change.key, change.value);
      if (live) this.changed();
    }
  }

  private changed(): void {
    if (this.synced) for (const w of this.syncWaiters.splice(0)) w();
    this.c.onChange();
  }
}
