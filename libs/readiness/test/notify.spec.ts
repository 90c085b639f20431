import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { parseNotifyFd, ReadinessError } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/ready-after.ts', import.meta.url));

describe('readiness', () => {
  it('parses --notify-fd in both spellings and rejects bad values naming the flag', () => {
    assert.equal(parseNotifyFd(['--notify-fd', '5']), 5);
    assert.equal(parseNotifyFd(['x', '--notify-fd=7']), 7);
    assert.equal(parseNotifyFd(['x']), undefined);
    assert.throws(() => parseNotifyFd(['--notify-fd', 'abc']), (e: unknown) => e instanceof ReadinessError && /--notify-fd: expected .* got "abc"/.test(e.message));
    assert.throws(() => parseNotifyFd(['--notify-fd', '1']), ReadinessError);
  });

  it('delivers a newline then EOF on the notification fd of a real child, after the child is ready', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, '--notify-fd', '3'], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
    const events: string[] = [];
    child.stdout!.on('data', (d: Buffer) => events.push(...d.toString().trim().split('\n').map((l) => `stdout:${l}`)));
    const notify = child.stdio[3] as Readable;
    let got = '';
    notify.on('data', (d: Buffer) => {
      got += d.toString();
      events.push('notified');
    });
    await new Promise<void>((resolve) => notify.on('end', resolve));
    assert.equal(got, '\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.deepEqual(events.filter((e) => e !== 'notified'), ['stdout:working', 'stdout:ready']);
    assert.equal(events.filter((e) => e === 'notified').length, 1);
  });
});
