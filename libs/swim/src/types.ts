// Public data types of the SWIM core: members, inputs, outputs and typed events.

export type MemberState = 'alive' | 'suspect' | 'dead' | 'left';
export const MEMBER_STATES: readonly MemberState[] = ['alive', 'suspect', 'dead', 'left'];

/** A small bounded key/value map gossiped with a member (overlayIp, publicKey, labels…). */
export type MemberMeta = Readonly<Record<string, string>>;

/** One member as this node sees it (a snapshot; never mutated after it is handed out). */
export interface Member {
  readonly id: string;
  readonly name: string;
  /** `host:port` where the member gossips. */
  readonly address: string;
  readonly incarnation: number;
  readonly state: MemberState;
  readonly meta: MemberMeta;
  /** Virtual or real ms (the `now` of the core) when the state last changed. */
  readonly since: number;
}

export type MemberEventType = 'member:join' | 'member:alive' | 'member:suspect' | 'member:dead' | 'member:left' | 'member:update';

export interface MemberEvent {
  readonly type: MemberEventType;
  readonly member: Member;
  readonly at: number;
}

/** This node changed its own incarnation (refutation, leave, meta change); a runner with an incarnationStore keeps it persisted. */
export interface SelfIncarnationEvent {
  readonly type: 'self:incarnation';
  readonly incarnation: number;
  readonly at: number;
}

export type SwimEvent = MemberEvent | SelfIncarnationEvent;

/** Inputs of SwimNode.step. */
export type SwimInput =
  | { readonly type: 'tick' }
  | { readonly type: 'packet'; readonly from: string; readonly data: Uint8Array }
  | { readonly type: 'join'; readonly seeds: readonly string[] }
  | { readonly type: 'leave' }
  | { readonly type: 'meta'; readonly meta: MemberMeta };

export interface SendAction {
  readonly address: string;
  readonly packet: Uint8Array;
}

/** Outputs of SwimNode.step: packets to send, events to publish, and when to call step({type:'tick'}) next. */
export interface SwimOutput {
  readonly sends: SendAction[];
  readonly events: SwimEvent[];
  readonly nextDeadline: number;
}

/** Counters kept by a node. malformed is keyed by decode reason. */
export interface SwimStats {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  malformed: Record<string, number>;
  /** Packets that decoded but made no sense here (ack for an unknown seq, ping for someone else…). */
  ignored: number;
  probes: number;
  probeFailures: number;
  refutations: number;
  /** Updates ignored because their incarnation was beyond MAX_INCARNATION or MAX_INCARNATION_STEP ahead of the known one. */
  implausible: number;
  /** Rumours about this node it could not outbid because its incarnation is at MAX_INCARNATION. */
  incarnationCeiling: number;
}

/** Seeded randomness injected into the core. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/** Structured logger accepted by the runner (compatible with @fortros/log). */
export interface SwimLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
