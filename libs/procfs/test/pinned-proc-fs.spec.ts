// PinnedProcFs: the same answers as ProcFs from files kept open, a gone process read as gone, a bounded set of files.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { PinnedProcFs, ProcessGoneError, ProcFs } from '../src/index.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

function sleeper(): ChildProcess {
  return spawn('sleep', ['60'], { stdio: 'ignore' });
}

async function reap(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('PinnedProcFs', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) await reap(c);
  });

  it('answers like ProcFs, reading again through the file it keeps open', () => {
    const pinned = new PinnedProcFs();
    const plain = new ProcFs();
    try {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(pinned.stat(process.pid), plain.stat(process.pid));
        assert.deepEqual(pinned.stat(process.ppid), plain.stat(process.ppid));
      }
      assert.equal(pinned.size, 2);
      assert.deepEqual(pinned.ancestry(process.pid), plain.ancestry(process.pid));
      assert.throws(() => pinned.stat(0x3fffffff), ProcessGoneError);
      assert.throws(() => pinned.stat(0), ProcessGoneError);
    } finally {
      pinned.close();
    }
  });

  it('reads a process that is gone (reaped) as gone, never as the process it was', async () => {
    const child = sleeper();
    children.push(child);
    const pinned = new PinnedProcFs();
    try {
      const before = pinned.stat(child.pid!);
      assert.equal(before.ppid, process.pid);
      await reap(child);
      assert.throws(() => pinned.stat(child.pid!), ProcessGoneError);
      assert.equal(pinned.size, 0, 'the file of a gone process is closed');
    } finally {
      pinned.close();
    }
  });

  it('keeps at most maxOpen files open, closing the least recently used, and close() closes them all', async () => {
    const kids = Array.from({ length: 4 }, sleeper);
    children.push(...kids);
    const base = openFds();
    const pinned = new PinnedProcFs('/proc', 2);
    for (const k of kids) pinned.stat(k.pid!);
    assert.equal(pinned.size, 2);
    assert.equal(openFds(), base + 2);
    pinned.close();
    assert.equal(pinned.size, 0);
    assert.equal(openFds(), base);
    assert.throws(() => new PinnedProcFs('/proc', 0), /maxOpen: expected a positive integer, got 0/);
  });
});
