// bench/keys: one measured level, either `inFlight` concurrent unary DeriveKey calls or one DeriveKeys stream with
// `inFlight` requests outstanding, both on one connection; derivations/s, p50/p99 latency, errors, CPU per derivation.
import { readdirSync, readFileSync } from 'node:fs';
import type { KeysV1 } from '@fortros/proto';
import { bidiStream, RpcCallError, StatusCode, unary } from '@fortros/rpc';

/** Latency samples kept per level (beyond this, later calls are counted but not sampled). */
const MAX_SAMPLES = 2_000_000;
/** Deadline of one DeriveKey call, in ms. */
const CALL_TIMEOUT_MS = 10_000;
/** What every request asks for: a 32-byte key (the service's default) for purpose `bench`. */
const REQUEST = { purpose: 'bench', length: 32, version: 1 };

export type Api = 'unary' | 'stream';

export interface LevelResult {
  api: Api;
  /** Concurrent unary calls, or requests outstanding on the stream. */
  concurrency: number;
  /** Keys received. */
  calls: number;
  errors: Record<string, number>;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of fortros-keys (all its threads) per key received, in µs; NaN if its pid is unknown. */
  serverCpuUs: number;
  /** CPU time of this load generator per key received, in µs. */
  clientCpuUs: number;
}

/** CPU time of every thread of `pid` so far, in ns (/proc/PID/task/TID/schedstat, field 1); NaN if unreadable. */
export function processCpuNs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns;
  } catch {
    return NaN;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function countError(errors: Record<string, number>, err: unknown): void {
  const code = err instanceof RpcCallError ? (StatusCode[err.code] ?? String(err.code)) : 'OTHER';
  errors[code] = (errors[code] ?? 0) + 1;
}

interface Tally {
  latencies: Float64Array;
  samples: number;
  calls: number;
  errors: Record<string, number>;
}

/** `concurrency` callers, each awaiting one DeriveKey at a time until `end`. */
async function driveUnary(client: KeysV1.KeysClient, concurrency: number, end: number, sample: boolean, t: Tally): Promise<void> {
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await unary(client, 'deriveKey', REQUEST, { timeoutMs: CALL_TIMEOUT_MS });
        res.key.fill(0);
        t.calls++;
        if (sample && t.samples < MAX_SAMPLES) t.latencies[t.samples++] = performance.now() - t0;
      } catch (err) {
        countError(t.errors, err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
}

/** One DeriveKeys stream kept `inFlight` requests ahead of its responses until `end`, then drained and closed. */
async function driveStream(client: KeysV1.KeysClient, inFlight: number, end: number, sample: boolean, t: Tally): Promise<void> {
  const call = bidiStream(client, 'deriveKeys');
  const sentAt = new Float64Array(inFlight); // responses come in request order: a ring of send times
  let sent = 0;
  let received = 0;
  const send = async (): Promise<void> => {
    sentAt[sent % inFlight] = performance.now();
    sent++;
    await call.send(REQUEST);
  };
  try {
    for (let i = 0; i < inFlight; i++) await send();
    for await (const m of call.messages) {
      if (m.index !== received) throw new Error(`bench/keys: response ${m.index} arrived where ${received} was expected`);
      const latency = performance.now() - sentAt[received % inFlight]!;
      received++;
      if (m.key) {
        (m.key.key as Buffer).fill(0);
        t.calls++;
        if (sample && t.samples < MAX_SAMPLES) t.latencies[t.samples++] = latency;
      } else {
        const code = StatusCode[m.error?.code ?? StatusCode.UNKNOWN] ?? String(m.error?.code);
        t.errors[code] = (t.errors[code] ?? 0) + 1;
      }
      if (performance.now() < end) await send();
      else if (received === sent) call.end();
    }
  } catch (err) {
    call.cancel();
    countError(t.errors, err);
  }
}

/** Run one level for `durationMs`; `serverPid` is fortros-keys, whose CPU time is read before and after. */
export async function runLevel(client: KeysV1.KeysClient, api: Api, concurrency: number, durationMs: number, sample: boolean, serverPid?: number): Promise<LevelResult> {
  const t: Tally = { latencies: new Float64Array(sample ? MAX_SAMPLES : 0), samples: 0, calls: 0, errors: {} };
  const server0 = processCpuNs(serverPid);
  const client0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  if (api === 'unary') await driveUnary(client, concurrency, end, sample, t);
  else await driveStream(client, concurrency, end, sample, t);
  const seconds = (performance.now() - start) / 1000;
  const clientCpu = process.cpuUsage(client0);
  const perCall = (us: number): number => (t.calls > 0 ? us / t.calls : NaN);
  const sorted = t.latencies.subarray(0, t.samples).sort();
  return {
    api,
    concurrency,
    calls: t.calls,
    errors: t.errors,
    seconds,
    perSec: t.calls / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    serverCpuUs: perCall((processCpuNs(serverPid) - server0) / 1000),
    clientCpuUs: perCall(clientCpu.user + clientCpu.system),
  };
}
