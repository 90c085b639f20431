// The anchor's state file (libexec/fortros-anchor): parsed, checked against /proc, and turned into an ObservedRun.
import { readFileSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { ProcFs } from '@fortros/procfs';
import { ANCHOR_STATE_MAX_BYTES } from '../constants.js';
import { AnchorStateError } from '../errors.js';
import type { ExitStatus } from '../plan/lifecycle.js';

/** USER_HZ: /proc start times count these per second (100 on every Linux ABI Node runs on). */
const CLOCK_TICKS_PER_S = 100;

export type AnchorState =
  | { phase: 'starting'; anchor: ProcessId }
  | { phase: 'running'; anchor: ProcessId; workload: ProcessId }
  | { phase: 'exited'; anchor: ProcessId; workload: ProcessId; status: number }
  | { phase: 'failed'; anchor: ProcessId; reason: string };

/** A process named for the boot's life: its pid and its start time in clock ticks after boot. */
export interface ProcessId {
  pid: number;
  start: number;
}

const num = (file: string, field: string, text: string | undefined): number => {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new AnchorStateError(file, `${field}: expected a number, got ${JSON.stringify(text)}`);
  return n;
};

export function parseAnchorState(file: string, text: string): AnchorState {
  const words = text.trim().split(/\s+/);
  const [phase, apid, astart] = words;
  const anchor = { pid: num(file, 'anchor pid', apid), start: num(file, 'anchor start', astart) };
  switch (phase) {
    case 'starting':
      return { phase, anchor };
    case 'failed':
      return { phase, anchor, reason: words.slice(3).join(' ') };
    case 'running':
    case 'exited': {
      const workload = { pid: num(file, 'pid', words[3]), start: num(file, 'start', words[4]) };
      if (phase === 'running') return { phase, anchor, workload };
      return { phase, anchor, workload, status: num(file, 'status', words[5]) };
    }
    default:
      throw new AnchorStateError(file, `expected starting, running, exited or failed, got ${JSON.stringify(phase)}`);
  }
}

/** The state file at `file`, or undefined when there is none (yet). */
export function readAnchorState(file: string): { state: AnchorState; mtimeMs: number } | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (text.length > ANCHOR_STATE_MAX_BYTES) throw new AnchorStateError(file, `larger than ${ANCHOR_STATE_MAX_BYTES} bytes`);
  return { state: parseAnchorState(file, text), mtimeMs };
}

/** Whether `id` is still that process, alive (not a zombie): the pid alone could have been reused. */
export function isAlive(id: ProcessId, proc: ProcFs = new ProcFs()): boolean {
  try {
    const stat = proc.stat(id.pid);
    return stat.startTime === id.start && stat.state !== 'Z' && stat.state !== 'X';
  } catch {
    return false;
  }
}

let bootTimeMs: number | undefined;
/** Milliseconds since the epoch of a /proc start time (clock ticks after boot). */
export function startTimeToEpochMs(ticks: number): number {
  if (bootTimeMs === undefined) {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootTimeMs = btime ? Number(btime[1]) * 1000 : 0;
  }
  return bootTimeMs + Math.round((ticks * 1000) / CLOCK_TICKS_PER_S);
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n as number, name]));

/** The shell's wait status as an exit: above 128 is a signal (the shell cannot tell it from a code of 129-255). */
export function exitFromStatus(status: number): ExitStatus {
  if (status > 128 && SIGNAL_NAMES.has(status - 128)) return { code: null, signal: SIGNAL_NAMES.get(status - 128)! };
  return { code: status, signal: null };
}
