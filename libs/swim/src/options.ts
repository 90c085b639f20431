// SwimOptions: defaults in one place, normalised once, with validators that say `expected <what>, got <value>`.
import * as C from './constants.js';
import { SwimOptionsError } from './errors.js';
import type { MemberMeta } from './types.js';

/** Tunables of the protocol; every field defaults to the constant of the same name. */
export interface SwimOptions {
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  indirectChecks?: number;
  suspicionMinMult?: number;
  suspicionMaxMult?: number;
  suspicionConfirmations?: number;
  retransmitMult?: number;
  gossipIntervalMs?: number;
  gossipFanout?: number;
  pushPullIntervalMs?: number;
  joinFollowupSyncMs?: number;
  joinRetryMs?: number;
  reconnectIntervalMs?: number;
  deadRetentionMs?: number;
  lhmMax?: number;
  maxPacketBytes?: number;
  maxPiggybackUpdates?: number;
  maxMembers?: number;
}

export type SwimConfig = Readonly<Required<SwimOptions>>;

const DEFAULTS: SwimConfig = {
  probeIntervalMs: C.PROBE_INTERVAL_MS,
  probeTimeoutMs: C.PROBE_TIMEOUT_MS,
  indirectChecks: C.INDIRECT_CHECKS,
  suspicionMinMult: C.SUSPICION_MIN_MULT,
  suspicionMaxMult: C.SUSPICION_MAX_MULT,
  suspicionConfirmations: C.SUSPICION_CONFIRMATIONS,
  retransmitMult: C.RETRANSMIT_MULT,
  gossipIntervalMs: C.GOSSIP_INTERVAL_MS,
  gossipFanout: C.GOSSIP_FANOUT,
  pushPullIntervalMs: C.PUSH_PULL_INTERVAL_MS,
  joinFollowupSyncMs: C.JOIN_FOLLOWUP_SYNC_MS,
  joinRetryMs: C.JOIN_RETRY_MS,
  reconnectIntervalMs: C.RECONNECT_INTERVAL_MS,
  deadRetentionMs: C.DEAD_RETENTION_MS,
  lhmMax: C.LHM_MAX,
  maxPacketBytes: C.MAX_PACKET_BYTES,
  maxPiggybackUpdates: C.MAX_PIGGYBACK_UPDATES,
  maxMembers: C.MAX_MEMBERS,
};

/** [min, max] accepted for each option (integers). */
const RANGES: { readonly [K in keyof SwimConfig]: readonly [number, number] } = {
  probeIntervalMs: [10, 600_000],
  probeTimeoutMs: [1, 600_000],
  indirectChecks: [0, 16],
  suspicionMinMult: [1, 100],
  suspicionMaxMult: [1, 100],
  suspicionConfirmations: [0, 32],
  retransmitMult: [1, 32],
  gossipIntervalMs: [10, 600_000],
  gossipFanout: [0, 32],
  pushPullIntervalMs: [0, 86_400_000],
  joinFollowupSyncMs: [0, 600_000],
  joinRetryMs: [10, 600_000],
  reconnectIntervalMs: [0, 600_000],
  deadRetentionMs: [0, 86_400_000],
  lhmMax: [1, 64],
  maxPacketBytes: [512, 1400],
  maxPiggybackUpdates: [1, 255],
  maxMembers: [2, 65_535],
};

export function normaliseSwimOptions(options: SwimOptions = {}): SwimConfig {
  if (typeof options !== 'object' || options === null) throw new SwimOptionsError(`swim options: expected an object, got ${String(options)}`);
  const out: Record<string, number> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof SwimConfig)[]) {
    const value = options[key] ?? DEFAULTS[key];
    const [min, max] = RANGES[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new SwimOptionsError(`swim option ${key}: expected an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) throw new SwimOptionsError(`swim options: expected one of ${Object.keys(DEFAULTS).join(', ')}, got ${JSON.stringify(key)}`);
  }
  const config = out as unknown as SwimConfig;
  if (config.probeTimeoutMs >= config.probeIntervalMs) {
    throw new SwimOptionsError(`swim option probeTimeoutMs: expected less than probeIntervalMs (${config.probeIntervalMs}), got ${config.probeTimeoutMs}`);
  }
  return Object.freeze(config);
}

const encoder = new TextEncoder();
export const utf8Length = (s: string): number => encoder.encode(s).length;

/** Validates a string field of a member record against its byte bound. */
export function checkString(field: string, value: unknown, maxBytes: number, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || utf8Length(value) > maxBytes) {
    throw new SwimOptionsError(`${field}: expected a ${allowEmpty ? '' : 'non-empty '}string of at most ${maxBytes} UTF-8 bytes, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates a meta map against MAX_META_ENTRIES / key / value / total bounds; returns a frozen copy. */
export function checkMeta(field: string, meta: unknown): MemberMeta {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new SwimOptionsError(`${field}: expected an object of strings, got ${JSON.stringify(meta)}`);
  const entries = Object.entries(meta as Record<string, unknown>);
  if (entries.length > C.MAX_META_ENTRIES) throw new SwimOptionsError(`${field}: expected at most ${C.MAX_META_ENTRIES} entries, got ${entries.length}`);
  let total = 1;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    checkString(`${field} key`, k, C.MAX_META_KEY_BYTES);
    checkString(`${field}.${k}`, v, C.MAX_META_VALUE_BYTES, true);
    total += 2 + utf8Length(k) + utf8Length(v as string);
    out[k] = v as string;
  }
  if (total > C.MAX_META_BYTES) throw new SwimOptionsError(`${field}: expected at most ${C.MAX_META_BYTES} encoded bytes, got ${total}`);
  return Object.freeze(out);
}
