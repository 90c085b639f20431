// The workload log reader over an s6-log directory written here: tail across `current` and rotated files (stamps
// parsed, unstamped lines kept), and follow across a rotation (the old file read to its end first).
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tai64nFromNanos } from '@fortros/log';
import { followLog, tailLog } from '../src/daemon/workload-logs.js';

const stamp = (ms: number): string => tai64nFromNanos(BigInt(ms) * 1_000_000n);
const line = (ms: number, text: string): string => `${stamp(ms)} ${text}\n`;
const T0 = Date.UTC(2026, 0, 1);

describe('workload logs', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'rd-logs-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('tails across current and rotated files, oldest first, with their stamps', async () => {
    await writeFile(join(dir, `${stamp(T0)}.s`), line(T0, 'one') + line(T0 + 1, 'two'));
    await writeFile(join(dir, `${stamp(T0 + 2)}.s`), line(T0 + 2, 'three'));
    await writeFile(join(dir, 'current'), line(T0 + 3, 'four') + 'unstamped\n');
    await writeFile(join(dir, 'lock'), '');
    const got = await tailLog(dir, 4);
    assert.deepEqual(got.map((l) => l.line), ['two', 'three', 'four', 'unstamped']);
    assert.equal(got[0]!.at.getTime(), T0 + 1);
    assert.deepEqual((await tailLog(dir, 100)).length, 5);
    assert.deepEqual(await tailLog(dir, 0), []);
  });

  it('follows new lines, through a rotation, until aborted', async () => {
    await writeFile(join(dir, 'current'), line(T0, 'old'));
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const l of followLog(dir, controller.signal)) {
        seen.push(l.line);
        if (l.line === 'c') controller.abort();
      }
    })();
    // the follower starts at the end it finds: write until it has seen a line, so it is surely following
    for (let i = 0; seen.length === 0; i++) {
      await appendFile(join(dir, 'current'), line(T0 + 1, `a${i}`));
      await waitFor(() => seen.length > 0, 50).catch(() => undefined);
    }
    // rotation as s6-log does it: the last line lands in the old file, which is renamed; a new current follows
    await appendFile(join(dir, 'current'), line(T0 + 2, 'b'));
    await rename(join(dir, 'current'), join(dir, `${stamp(T0 + 2)}.s`));
    await writeFile(join(dir, 'current'), line(T0 + 3, 'c'));
    await done;
    assert.ok(!seen.includes('old'), 'lines before the follow are not repeated');
    assert.deepEqual(seen.slice(-2), ['b', 'c'], 'the line before the rotation is not lost');
    assert.equal(new Set(seen).size, seen.length, 'no line twice');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
