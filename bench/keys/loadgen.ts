// bench/keys load generator: runs as a service under fortros-init (so the key service attributes its calls),
// drives DeriveKey over keys.sock with 1, 8 and 64 concurrent callers, and writes its figures to a JSON file.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KeysV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, StatusCode, unary } from '@fortros/rpc';

/** Latency samples kept per concurrency level (beyond this, later calls are counted but not sampled). */
const MAX_SAMPLES = 2_000_000;
/** Deadline of one DeriveKey call, in ms. */
const CALL_TIMEOUT_MS = 10_000;

export interface LevelResult {
  concurrency: number;
  calls: number;
  errors: Record<string, number>;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runLevel(client: KeysV1.KeysClient, concurrency: number, durationMs: number, sample: boolean): Promise<LevelResult> {
  const latencies = new Float64Array(MAX_SAMPLES);
  let samples = 0;
  let calls = 0;
  const errors: Record<string, number> = {};
  const start = performance.now();
  const end = start + durationMs;
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await unary(client, 'deriveKey', { purpose: 'bench', length: 32, version: 1 }, { timeoutMs: CALL_TIMEOUT_MS });
        res.key.fill(0);
        calls++;
        if (sample && samples < MAX_SAMPLES) latencies[samples++] = performance.now() - t0;
      } catch (err) {
        const code = err instanceof RpcCallError ? (StatusCode[err.code] ?? String(err.code)) : 'OTHER';
        errors[code] = (errors[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, samples).sort();
  return { concurrency, calls, errors, seconds, perSec: calls / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      out: { type: 'string' },
      'duration-ms': { type: 'string', default: '3000' },
      'warmup-ms': { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '1,8,64' },
    },
  });
  const root = values.root ?? process.env['FORTROS_ROOT'] ?? '/';
  const out = values.out ?? join(root, 'bench-keys.json');
  const durationMs = Number(values['duration-ms']);
  const warmupMs = Number(values['warmup-ms']);
  const levels = values.concurrency.split(',').map(Number);
  const client = createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), join(root, 'run/fortros/keys.sock'));
  const results: LevelResult[] = [];
  try {
    for (const c of levels) {
      await runLevel(client, c, warmupMs, false);
      results.push(await runLevel(client, c, durationMs, true));
    }
  } finally {
    closeClient(client);
  }
  await writeFile(`${out}.tmp`, JSON.stringify({ pid: process.pid, results }));
  await rename(`${out}.tmp`, out);
  // stay up (a longrun that exits is restarted by init) until the bench stops init
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error('bench/keys loadgen:', err);
  process.exit(1);
});
