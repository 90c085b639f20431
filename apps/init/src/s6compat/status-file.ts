// s6-supervise's `supervise/status` file (s6 2.x, 35 bytes), so s6-svstat and s6-svwait can read a service init
// runs: TAI64N stamp, TAI64N ready stamp, pid (u64 BE), wait status (u16 BE), flags (paused, finishing, want up,
// ready). Pure: the state of a service in, bytes out.
import { ServiceState } from '../service/lifecycle.js';

export const S6_STATUS_BYTES = 35;
const FLAG_PAUSED = 1;
const FLAG_FINISHING = 2;
const FLAG_WANT_UP = 4;
const FLAG_READY = 8;

export interface S6Status {
  /** ms since the epoch: when the process was spawned (up) or died (down). */
  stampMs: number;
  /** ms since the epoch: when it became ready (or, down, when it was fully down). */
  readyStampMs: number;
  pid: number;
  /** A waitpid(2) status: code << 8, or the signal number. */
  wstat: number;
  paused: boolean;
  finishing: boolean;
  wantUp: boolean;
  ready: boolean;
}

/**
 * TAI64 label of the epoch as skalibs reads the clock: 2^62 + TAI−UTC, which is 37 s since 2017 (10 s plus 27
 * leap seconds). s6-svstat subtracts a stamp from its own clock read that way, so this is what keeps its ages
 * right. (init's log lines keep daemontools' +10: tai64n.ts.)
 */
const S6_TAI64_EPOCH = 0x4000000000000000n + 37n;
const NS_PER_MS = 1_000_000;

/** The 12 bytes of a TAI64N stamp (skalibs' tain_pack), from ms since the epoch. */
export function tain(ms: number): Buffer {
  const t = Math.max(0, Math.round(ms));
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(S6_TAI64_EPOCH + BigInt(Math.floor(t / 1000)), 0);
  out.writeUInt32BE((t % 1000) * NS_PER_MS, 8);
  return out;
}

export function packStatus(s: S6Status): Buffer {
  const out = Buffer.alloc(S6_STATUS_BYTES);
  tain(s.stampMs).copy(out, 0);
  tain(s.readyStampMs).copy(out, 12);
  out.writeBigUInt64BE(BigInt(s.pid), 24);
  out.writeUInt16BE(s.wstat & 0xffff, 32);
  out[34] = (s.paused ? FLAG_PAUSED : 0) | (s.finishing ? FLAG_FINISHING : 0) | (s.wantUp ? FLAG_WANT_UP : 0) | (s.ready ? FLAG_READY : 0);
  return out;
}

/** waitpid(2) status of an exit: `code << 8`, or the signal number when killed. */
export function waitStatus(exit: { code: number | null; signal: number | null } | null): number {
  if (exit === null) return 0;
  if (exit.signal !== null && exit.signal > 0) return exit.signal & 0x7f;
  return ((exit.code ?? 0) & 0xff) << 8;
}

/** One service as s6-supervise would describe it. `prev` carries stamps over states that do not change them. */
export interface ServiceView {
  state: ServiceState;
  pid: number;
  lastExit: { code: number | null; signal: number | null } | null;
}

export function s6StatusOf(v: ServiceView, prev: S6Status | undefined, nowMs: number): S6Status {
  const up = v.pid > 0;
  const wasUp = prev !== undefined && prev.pid > 0 && prev.pid === v.pid;
  const stampMs = up ? (wasUp ? prev.stampMs : nowMs) : prev !== undefined && prev.pid === 0 ? prev.stampMs : nowMs;
  const ready = up ? v.state === ServiceState.ready : v.state !== ServiceState.stopping;
  const readyStampMs = ready ? (prev?.ready && prev.pid === v.pid ? prev.readyStampMs : nowMs) : (prev?.readyStampMs ?? 0);
  const wantUp = v.state !== ServiceState.inactive && v.state !== ServiceState.failed && v.state !== ServiceState.stopping;
  return { stampMs, readyStampMs, pid: up ? v.pid : 0, wstat: up ? 0 : waitStatus(v.lastExit), paused: false, finishing: false, wantUp, ready };
}
