// Never blocking a service: lines beyond the queue bound are dropped, counted and marked; a real child floods a pipe.
import { ok, strictEqual } from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RotatingLog } from '../src/log/index.js';
import { allLines, captureLogger, readLogDir, tempDir } from './fixtures/log-helpers.js';

const FLOOD = fileURLToPath(new URL('./fixtures/log-flood.mjs', import.meta.url));
const MARKER = /^fortros-init: dropped (\d+) lines$/;

/** Stored lines numbered `<word> N …` must increase; markers account for every missing one. */
function account(lines: string[], total: number): { stored: number; marked: number } {
  let stored = 0;
  let marked = 0;
  let last = -1;
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      marked += Number(m[1]);
      continue;
    }
    const n = Number(line.split(' ')[1]);
    ok(Number.isInteger(n) && n > last, `line out of order or split: ${JSON.stringify(line.slice(0, 60))} after ${last}`);
    last = n;
    stored++;
  }
  strictEqual(stored + marked, total, `stored ${stored} + marked dropped ${marked} must be every line`);
  return { stored, marked };
}

describe('log: a slow disk never blocks the service', () => {
  let root: string;
  const { logger } = captureLogger();
  beforeEach(async () => {
    root = await tempDir('log-drop');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('drops lines beyond the queue bound, counts them and writes the marker when it catches up', async () => {
    const dir = join(root, 'burst');
    const log = new RotatingLog({ dir, maxQueueBytes: 300, logger });
    for (let i = 0; i < 1_000; i++) log.write(`burst ${i}`); // synchronously: the disk gets no turn
    ok(log.dropped > 900, `dropped ${log.dropped}`);
    await log.flush();
    log.write('after 1000');
    await log.close();
    const lines = allLines(await readLogDir(dir));
    strictEqual(lines.at(-2), `fortros-init: dropped ${log.dropped} lines`);
    strictEqual(lines.at(-1), 'after 1000');
    const { marked } = account(lines.slice(0, -1), 1_000);
    strictEqual(marked, log.dropped);
  });

  it('marks each gap where it is, between the lines around it', async () => {
    const dir = join(root, 'gaps');
    const log = new RotatingLog({ dir, maxQueueBytes: 200, maxFileBytes: 1024, logger });
    let n = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) log.write(`gap ${n++}`);
      await log.flush(); // the writer catches up between bursts, so every burst is its own gap
    }
    await log.close();
    const lines = allLines(await readLogDir(dir));
    const { marked } = account(lines, n);
    strictEqual(marked, log.dropped);
    ok(lines.filter((l) => MARKER.test(l)).length > 1, 'several gaps, several markers');
  });

  for (const [title, maxQueueBytes] of [['the default queue', undefined], ['a tiny queue (drops)', 4_096]] as const) {
    it(`a child flooding its stdout through a pipe leaves consistent files (${title})`, async function () {
      this.timeout(60_000);
      const dir = join(root, 'flood');
      const total = 100_000;
      const log = new RotatingLog({ dir, maxFileBytes: 64 * 1024, maxFiles: 1_000, maxQueueBytes, logger });
      const child = spawn(process.execPath, [FLOOD, String(total), '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let partial = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop()!;
        for (const line of parts) log.write(line);
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c) => resolve(c));
      });
      strictEqual(code, 0);
      strictEqual(partial, '');
      await log.close();
      const files = await readLogDir(dir);
      for (const f of files) ok(f.bytes <= 64 * 1024, `${f.name}: ${f.bytes} bytes`);
      const { marked } = account(allLines(files), total);
      strictEqual(marked, log.dropped);
      if (maxQueueBytes !== undefined) ok(log.dropped > 0, 'a 4 KiB queue cannot take a flood whole');
    });
  }
});
