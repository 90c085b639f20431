// Message and update types of the gossip protocol and their wire constants (see PROTOCOL.md).
import type { MemberMeta, MemberState } from '../types.js';

/** Packet type byte (third byte of every packet). Numbers are never reused. */
export const MessageType = {
  Ping: 1,
  Ack: 2,
  PingReq: 3,
  Nack: 4,
  Gossip: 5,
  Sync: 6,
} as const;

/** Kind byte of a piggybacked membership update. Numbers are never reused. */
export const UpdateKind = {
  Alive: 1,
  Suspect: 2,
  Dead: 3,
  Left: 4,
} as const;

/** State byte of a sync record. */
export const StateCode: Readonly<Record<MemberState, number>> = { alive: 1, suspect: 2, dead: 3, left: 4 };
export const STATE_BY_CODE: readonly (MemberState | undefined)[] = [undefined, 'alive', 'suspect', 'dead', 'left'];

/** Sync flag bits. */
export const SyncFlag = { Reply: 0x01, Join: 0x02 } as const;

export interface AliveUpdate {
  readonly kind: 'alive';
  readonly id: string;
  readonly incarnation: number;
  readonly name: string;
  readonly address: string;
  readonly meta: MemberMeta;
}
export interface SuspectUpdate {
  readonly kind: 'suspect';
  readonly id: string;
  readonly incarnation: number;
  /** Id of the member that suspects. */
  readonly from: string;
}
export interface DeadUpdate {
  readonly kind: 'dead';
  readonly id: string;
  readonly incarnation: number;
  readonly from: string;
}
export interface LeftUpdate {
  readonly kind: 'left';
  readonly id: string;
  readonly incarnation: number;
}
export type Update = AliveUpdate | SuspectUpdate | DeadUpdate | LeftUpdate;

/** One member in a sync packet. */
export interface SyncRecord {
  readonly id: string;
  readonly incarnation: number;
  readonly name: string;
  readonly address: string;
  readonly meta: MemberMeta;
  readonly state: MemberState;
}

export interface PingMessage {
  readonly type: 'ping';
  readonly seq: number;
  readonly from: string;
  /** Id the sender believes lives at the destination address. */
  readonly target: string;
  readonly updates: readonly Update[];
}
export interface AckMessage {
  readonly type: 'ack';
  readonly seq: number;
  readonly from: string;
  readonly updates: readonly Update[];
}
export interface PingReqMessage {
  readonly type: 'ping-req';
  readonly seq: number;
  readonly from: string;
  readonly target: string;
  readonly targetAddress: string;
  readonly updates: readonly Update[];
}
export interface NackMessage {
  readonly type: 'nack';
  readonly seq: number;
  readonly from: string;
  readonly updates: readonly Update[];
}
export interface GossipMessage {
  readonly type: 'gossip';
  readonly from: string;
  readonly updates: readonly Update[];
}
export interface SyncMessage {
  readonly type: 'sync';
  readonly from: string;
  /** A reply to a sync (the receiver must not answer it with another sync). */
  readonly reply: boolean;
  /** Sent by a joining node. */
  readonly join: boolean;
  readonly chunk: number;
  readonly chunks: number;
  readonly members: readonly SyncRecord[];
}
export type Message = PingMessage | AckMessage | PingReqMessage | NackMessage | GossipMessage | SyncMessage;
export type MessageOf<T extends Message['type']> = Extract<Message, { type: T }>;
