// The drivers' watch: a run directory created after the watch started, then its state file renamed over, is an event;
// other files of the run are not; a removed run directory is forgotten; close() ends every watch.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirChanges, StateWatch } from '../src/driver/state-watch.js';

/** Resolves at the next change reported after `act` ran, or rejects after `ms` (generous: a loaded machine). */
function changeAfter(w: { next: () => Promise<void> }, act: () => void, ms = 10_000): Promise<void> {
  const p = w.next();
  act();
  return Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no change within ${ms} ms`)), ms).unref())]);
}

describe('state watch', () => {
  let root: string;
  let watch: StateWatch;
  let waiters: (() => void)[] = [];
  let count = 0;
  const errors: Error[] = [];
  const events = { next: (): Promise<void> => new Promise<void>((resolve) => waiters.push(resolve)) };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rc-watch-'));
    waiters = [];
    watch = new StateWatch(join(root, 'process'), { onChange: () => {
      count++;
      waiters.splice(0).forEach((w) => w());
    }, onError: (e) => errors.push(e) });
    watch.start();
  });
  afterEach(() => {
    watch.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports a new run directory and each replace of its state file', async () => {
    const run = join(root, 'process', 'web');
    await changeAfter(events, () => mkdirSync(run));
    for (const line of ['starting 1 1', 'running 1 1 2 2', 'exited 1 1 2 2 137']) {
      await changeAfter(events, () => {
        writeFileSync(join(run, 'state.tmp'), `${line}\n`);
        renameSync(join(run, 'state.tmp'), join(run, 'state'));
      });
    }
    assert.deepEqual(errors, []);
  });

  it('ignores other files of a run, and forgets a removed run', async () => {
    const run = join(root, 'process', 'db');
    await changeAfter(events, () => mkdirSync(run));
    const before = count;
    writeFileSync(join(run, 'anchor.err'), 'x');
    writeFileSync(join(run, 'state.tmp'), 'starting 1 1\n');
    renameSync(join(run, 'state.tmp'), join(run, 'state'));
    // one inotify queue, in order: once the new directory's event is in, every event before it was delivered
    await changeAfter(events, () => mkdirSync(join(root, 'process', 'marker')));
    while (count - before < 2) await events.next();
    assert.equal(count - before, 2, 'the state rename and the new directory, nothing for anchor.err or state.tmp');
    await changeAfter(events, () => rmSync(run, { recursive: true }));
    watch.sync();
    await changeAfter(events, () => mkdirSync(run));
    assert.deepEqual(errors, []);
  });

  it('DirChanges: wakes on a change long before its timeout, keeps a change made between waits, else times out', async () => {
    const dir = join(root, 'process');
    const changes = new DirChanges(dir);
    try {
      const woke = changes.next(60_000).then(() => 'changed');
      writeFileSync(join(dir, 'a'), 'x');
      assert.equal(await Promise.race([woke, new Promise((r) => setTimeout(() => r('timeout'), 10_000).unref())]), 'changed');
      writeFileSync(join(dir, 'b'), 'x'); // before the next wait: seen whether its event came already or comes later
      assert.equal(await Promise.race([changes.next(60_000).then(() => 'changed'), new Promise((r) => setTimeout(() => r('timeout'), 10_000).unref())]), 'changed');
      await changes.next(10); // nothing changes: the poll interval ends the wait
      const aborted = new AbortController();
      const waiting = changes.next(60_000, aborted.signal);
      aborted.abort(new Error('stop'));
      await assert.rejects(waiting, /stop/);
    } finally {
      changes.close();
    }
  });
});
