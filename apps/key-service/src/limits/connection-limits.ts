// Who may hold keys.sock connections: per uid, all unprivileged uids together, in all, and per attributed service.
import type { ConnectionPolicy, PeerConnection } from '@fortros/rpc';
import {
  KEYS_IDLE_CONNECTION_MS,
  MAX_CONNECTIONS_PER_SERVICE,
  MAX_CONNECTIONS_PER_UID,
  MAX_KEYS_CONNECTIONS,
  MAX_UNPRIVILEGED_CONNECTIONS,
} from '../constants.js';
import type { Refusal } from '../server/refusal-log.js';
import type { RefusalCounts, RefusalReason } from './refusal-counts.js';

export interface ConnectionLimitOptions {
  total?: number;
  perUid?: number;
  unprivileged?: number;
  perService?: number;
  idleTimeoutMs?: number;
}

/** The part of a connection the limits look at (a PeerConnection, or a stand-in in unit tests). */
export type LimitedConnection = Pick<PeerConnection, 'id' | 'credentials' | 'closeReason'>;

const ROOT_UID = 0;

/**
 * At accept: at most `total` connections; at most `unprivileged` held by uids other than root together, and `perUid`
 * by any one of them (root, which runs init's services, is bounded by `total` only and per service). So one local
 * user can neither exhaust the socket nor, with other users, lock root's services out. Once a call on a connection is
 * attributed, the connection counts towards its service: at most `perService` each. Refusals are counted by reason.
 */
export class ConnectionLimits implements ConnectionPolicy {
  readonly total: number;
  readonly perUid: number;
  readonly unprivileged: number;
  readonly perService: number;
  readonly idleTimeoutMs: number;
  private held = 0;
  private heldUnprivileged = 0;
  private readonly byUid = new Map<number, number>();
  private readonly byService = new Map<string, number>();
  /** connection id → the service it was attributed to. */
  private readonly serviceOf = new Map<number, string>();

  constructor(
    private readonly counts: RefusalCounts,
    options: ConnectionLimitOptions = {},
    /** Where refusals at accept are logged (the daemon's RefusalLog: rate-limited per pid). */
    private readonly log?: { refused(refusal: Refusal): void },
  ) {
    this.total = positiveInteger('total', options.total ?? MAX_KEYS_CONNECTIONS);
    this.perUid = positiveInteger('perUid', options.perUid ?? MAX_CONNECTIONS_PER_UID);
    this.unprivileged = positiveInteger('unprivileged', options.unprivileged ?? MAX_UNPRIVILEGED_CONNECTIONS);
    this.perService = positiveInteger('perService', options.perService ?? MAX_CONNECTIONS_PER_SERVICE);
    this.idleTimeoutMs = positiveInteger('idleTimeoutMs', options.idleTimeoutMs ?? KEYS_IDLE_CONNECTION_MS);
  }

  /** Connections held now (admitted, not yet closed). */
  get size(): number {
    return this.held;
  }

  connectionsOfUid(uid: number): number {
    return this.byUid.get(uid) ?? 0;
  }

  connectionsOfService(subject: string): number {
    return this.byService.get(subject) ?? 0;
  }

  admit(connection: LimitedConnection): string | undefined {
    const creds = connection.credentials;
    if (!creds) return this.refuse('no-credentials', 'the kernel gave no peer credentials');
    if (this.held >= this.total) return this.refuse('total-connections', `${this.held} connections held (limit ${this.total})`, creds);
    if (creds.uid !== ROOT_UID) {
      const mine = this.connectionsOfUid(creds.uid);
      if (mine >= this.perUid) return this.refuse('uid-connections', `uid ${creds.uid} holds ${mine} connections (limit ${this.perUid})`, creds);
      if (this.heldUnprivileged >= this.unprivileged) {
        return this.refuse('unprivileged-connections', `uids other than root hold ${this.heldUnprivileged} connections (limit ${this.unprivileged})`, creds);
      }
      this.heldUnprivileged++;
    }
    this.held++;
    this.byUid.set(creds.uid, this.connectionsOfUid(creds.uid) + 1);
    return undefined;
  }

  closed(connection: LimitedConnection): void {
    const creds = connection.credentials;
    if (!creds) return;
    this.held--;
    if (creds.uid !== ROOT_UID) this.heldUnprivileged--;
    const left = this.connectionsOfUid(creds.uid) - 1;
    if (left > 0) this.byUid.set(creds.uid, left);
    else this.byUid.delete(creds.uid);
    const subject = this.serviceOf.get(connection.id);
    if (subject !== undefined) {
      this.serviceOf.delete(connection.id);
      const n = this.connectionsOfService(subject) - 1;
      if (n > 0) this.byService.set(subject, n);
      else this.byService.delete(subject);
    }
    if (connection.closeReason === 'idle') this.counts.add('idle');
  }

  /**
   * Count `connection` towards `subject` (its first attributed call; later ones are free). Returns a refusal when the
   * service already holds `perService` connections: the caller then refuses the call and closes the connection.
   */
  bindService(connection: LimitedConnection, subject: string): string | undefined {
    const bound = this.serviceOf.get(connection.id);
    if (bound === subject) return undefined;
    if (bound !== undefined) return undefined; // a connection is one process: it cannot change service, first one counts
    const n = this.connectionsOfService(subject);
    if (n >= this.perService) return this.refuse('service-connections', `${subject} holds ${n} connections (limit ${this.perService})`);
    this.serviceOf.set(connection.id, subject);
    this.byService.set(subject, n + 1);
    return undefined;
  }

  private refuse(reason: RefusalReason, message: string, peer?: { pid: number; uid: number }): string {
    this.counts.add(reason);
    if (peer) this.log?.refused({ pid: peer.pid, uid: peer.uid, reason: `connection refused: ${message}` });
    return message;
  }
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`connection limit ${field}: expected a positive integer, got ${String(value)}`);
  return value;
}
