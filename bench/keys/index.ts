// bench/keys: unary DeriveKey and the DeriveKeys stream over keys.sock (derivations/s, p50/p99, CPU per key) with 1, 8
// and 64 requests in flight, measured by a load generator that runs as a service under a real fortros-init, beside the
// raw in-process HKDF rate and DESIGN §10's bar.
// Run: npx tsx bench/keys/index.ts [--duration-ms 3000] [--warmup-ms 500] [--apis unary,stream]
import { NODE_PATHS } from '@fortros/core';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureHkdfRate } from './hkdf-rate.js';
import type { LevelResult } from './loadgen.js';
import { INIT_MAIN, KEYS_MAIN } from '@fortros/lab'; // the built programs, as a node runs them

const LOADGEN = fileURLToPath(new URL('./loadgen.ts', import.meta.url));
/** How long the whole socket run may take beyond its own durations before the bench gives up, in ms. */
const RESULT_GRACE_MS = 60_000;
/** How often the result file is looked for, in ms. */
const POLL_INTERVAL_MS = 100;
/** How long init gets to stop everything at the end, in ms. */
const STOP_GRACE_MS = 15_000;
/** DESIGN §10's bar for the key service over the socket. */
const BAR_PER_SEC = 10_000;
const LEVELS = [1, 8, 64];

async function writeService(dir: string, name: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await writeFile(join(dir, name, file), content);
    if (file === 'run') await chmod(join(dir, name, file), 0o755);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'duration-ms': { type: 'string', default: '3000' },
      'warmup-ms': { type: 'string', default: '500' },
      apis: { type: 'string', default: 'unary,stream' },
    },
  });
  const durationMs = Number(values['duration-ms']);
  const warmupMs = Number(values['warmup-ms']);
  const apis = values.apis.split(',');
  if (apis.length === 0 || apis.some((a) => a !== 'unary' && a !== 'stream')) throw new Error(`--apis: expected unary, stream or both, got ${values.apis}`);
  const root = await mkdtemp(join(tmpdir(), 'fortros-bench-keys-'));
  const services = join(root, NODE_PATHS.servicesDir);
  const tsx = import.meta.resolve('tsx');
  await writeService(services, 'key-service', {
    type: 'longrun\n',
    'notification-fd': '3\n',
    run: `#!/bin/sh\nexec "${process.execPath}" "${KEYS_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --log-level warn\n`,
  });
  await writeService(services, 'bench-client', {
    type: 'longrun\n',
    dependencies: 'key-service\n',
    run:
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${LOADGEN}" --root "$FORTROS_ROOT" ` +
      `--duration-ms ${durationMs} --warmup-ms ${warmupMs} --concurrency ${LEVELS.join(',')} --apis ${apis.join(',')}\n`,
  });
  await writeService(services, 'default', { type: 'bundle\n', contents: 'key-service\nbench-client\n' });

  const init = spawn(process.execPath, [INIT_MAIN, '--root', root, '--log', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let initLog = '';
  init.stderr.setEncoding('utf8').on('data', (d: string) => (initLog = (initLog + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => init.once('exit', () => resolve()));
  try {
    const resultPath = join(root, 'bench-keys.json');
    const deadline = Date.now() + LEVELS.length * apis.length * (durationMs + warmupMs) + RESULT_GRACE_MS;
    let raw: string | undefined;
    while (raw === undefined) {
      raw = await readFile(resultPath, 'utf8').catch(() => undefined);
      if (raw !== undefined) break;
      if (init.exitCode !== null || Date.now() > deadline) throw new Error(`no result from the load generator; init's log:\n${initLog}`);
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
    const { results } = JSON.parse(raw) as { results: LevelResult[] };
    const hkdf = measureHkdfRate(durationMs); // after the socket run, so the two never compete for the CPU
    print(results, hkdf.perSec, durationMs);
  } finally {
    if (init.exitCode === null) init.kill('SIGTERM');
    const timer = setTimeout(() => init.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    await rm(root, { recursive: true, force: true });
  }
}

const API_LABEL: Record<string, string> = { unary: 'DeriveKey', stream: 'DeriveKeys' };

function print(results: LevelResult[], hkdfPerSec: number, durationMs: number): void {
  const cpu = cpus();
  console.log(`bench/keys: fortros-keys over ${NODE_PATHS.keysSocket} (unix socket, gRPC, one HTTP/2 connection): DeriveKey = N concurrent`);
  console.log(`unary calls, DeriveKeys = one bidi stream with N requests in flight; caller attributed as service bench-client`);
  console.log(`under fortros-init; 32-byte keys; ${durationMs} ms per row; CPU = µs of CPU time per key received`);
  console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('');
  const rows = [['api', 'in flight', 'derivations/s', 'p50 ms', 'p99 ms', 'keys', 'errors', 'server CPU', 'client CPU', 'in-process HKDF/s', 'bar (DESIGN §10)']];
  for (const r of results) {
    const errors = Object.entries(r.errors).map(([k, v]) => `${k}:${v}`).join(' ') || '0';
    rows.push([
      API_LABEL[r.api] ?? r.api,
      String(r.concurrency),
      r.perSec.toFixed(0),
      r.p50Ms.toFixed(3),
      r.p99Ms.toFixed(3),
      String(r.calls),
      errors,
      Number.isNaN(r.serverCpuUs) ? '?' : r.serverCpuUs.toFixed(1),
      r.clientCpuUs.toFixed(1),
      hkdfPerSec.toFixed(0),
      r.perSec >= BAR_PER_SEC ? `≥ ${BAR_PER_SEC} ok` : `< ${BAR_PER_SEC}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

main().catch((err: unknown) => {
  console.error('bench/keys:', err instanceof Error ? err.message : err);
  process.exit(1);
});
