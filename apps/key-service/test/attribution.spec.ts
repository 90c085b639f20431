// Attribution: ancestry walk of real processes, and the pid-reuse guards.
import { strict as assert } from 'node:assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Attributor } from '../src/attribution/attributor.js';
import type { DirectoryEntry } from '../src/attribution/identity.js';
import { ProcFs, type ProcStat } from '@fortros/procfs';
import { UnattributedError } from '../src/errors.js';
import { OwnedProcesses, readLines, tempDir } from './helpers.js';

/** A /proc/PID/stat line with the given fields (field 22 = starttime). */
function statLine(pid: number, comm: string, ppid: number, startTime: number): string {
  const fields = ['S', String(ppid), ...Array.from({ length: 17 }, () => '0'), String(startTime), '0', '0'];
  return `${pid} (${comm}) ${fields.join(' ')}\n`;
}

const directory = (entries: DirectoryEntry[]) => ({ services: async () => entries });

describe('Attributor', () => {
  const owned = new OwnedProcesses();
  afterEach(() => owned.killAll());

  /** A child shell (the "service") that runs a grandchild (its "client"); returns both pids. */
  async function serviceWithGrandchild(): Promise<{ child: number; grandchild: number }> {
    const child = owned.spawn('/bin/sh', ['-c', 'tail -f /dev/null & echo $!; wait']);
    const [line] = await readLines(child, 1);
    const grandchild = Number(line);
    owned.adopt(grandchild);
    return { child: child.pid!, grandchild };
  }

  it('attributes a real grandchild to the directory entry of its real parent', async () => {
    const { child, grandchild } = await serviceWithGrandchild();
    const proc = new ProcFs();
    assert.equal(proc.parentPid(grandchild), child);
    const attributor = new Attributor({
      directory: directory([
        { name: 'unrelated', pid: process.ppid },
        { name: 'web', pid: child, startTime: proc.startTime(child) },
      ]),
    });
    const id = await attributor.attribute(grandchild);
    assert.deepEqual(id, { kind: 'service', name: 'web', pid: child, callerPid: grandchild });
  });

  it('picks the nearest supervised ancestor (a workload under the reconciler is the workload)', async () => {
    const { child, grandchild } = await serviceWithGrandchild();
    const attributor = new Attributor({
      directory: directory([
        { name: 'reconciler', pid: child },
        { kind: 'workload', name: 'job', pid: grandchild, purposes: ['db'] },
      ]),
    });
    const id = await attributor.attribute(grandchild);
    assert.deepEqual(id, { kind: 'workload', name: 'job', pid: grandchild, callerPid: grandchild, purposes: ['db'] });
  });

  it('refuses a caller that descends from no directory entry', async () => {
    const { grandchild } = await serviceWithGrandchild();
    const attributor = new Attributor({ directory: directory([{ name: 'other', pid: 0x3ffffff0 }]) });
    await assert.rejects(attributor.attribute(grandchild), (err: Error) => {
      assert.ok(err instanceof UnattributedError);
      assert.equal(err.pid, grandchild);
      assert.match(err.message, /does not descend from a service supervised by init or a workload/);
      return true;
    });
    await assert.rejects(attributor.attribute(0x3fffffff), /is gone/);
  });

  it('refuses a directory entry whose start time is not the real process start time (pid reuse)', async () => {
    const { child, grandchild } = await serviceWithGrandchild();
    const real = new ProcFs().startTime(child);
    const attributor = new Attributor({ directory: directory([{ name: 'web', pid: child, startTime: real + 1 }]) });
    await assert.rejects(attributor.attribute(grandchild), (err: Error) => {
      assert.ok(err instanceof UnattributedError);
      assert.match(err.message, new RegExp(`pid ${child} of service web now belongs to another process \\(pid reused\\)`));
      return true;
    });
  });

  it('refuses a caller whose start time changed since it connected', async () => {
    const { child, grandchild } = await serviceWithGrandchild();
    const attributor = new Attributor({ directory: directory([{ name: 'web', pid: child }]) });
    const start = new ProcFs().startTime(grandchild);
    assert.equal((await attributor.attribute(grandchild, { expectedStartTime: start })).name, 'web');
    await assert.rejects(attributor.attribute(grandchild, { expectedStartTime: start - 1 }), /exited after connecting/);
  });

  describe('with a fake /proc', () => {
    let root: { path: string; remove: () => Promise<void> };
    beforeEach(async () => (root = await tempDir()));
    afterEach(() => root.remove());

    async function proc(entries: Array<[pid: number, ppid: number, startTime: number]>): Promise<ProcFs> {
      for (const [pid, ppid, start] of entries) {
        await mkdir(join(root.path, String(pid)), { recursive: true });
        await writeFile(join(root.path, String(pid), 'stat'), statLine(pid, `p${pid}`, ppid, start));
      }
      return new ProcFs(root.path);
    }

    it('without a recorded start time, remembers the first one seen and refuses a later change', async () => {
      const fs = await proc([[1, 0, 1], [100, 1, 500], [200, 100, 600]]);
      const attributor = new Attributor({ directory: directory([{ name: 'web', pid: 100 }]), proc: fs });
      assert.equal((await attributor.attribute(200)).name, 'web');
      await proc([[100, 1, 550], [200, 100, 600]]); // web's pid now names a process started later
      await assert.rejects(attributor.attribute(200), /pid reused/);
    });

    it('refuses an ancestor younger than its child (the parent pid was reused)', async () => {
      const fs = await proc([[1, 0, 1], [100, 1, 900], [200, 100, 600]]);
      const attributor = new Attributor({ directory: directory([{ name: 'web', pid: 100 }]), proc: fs });
      await assert.rejects(attributor.attribute(200), UnattributedError);
    });

    it('refuses when the caller exits and its pid is reused during the request', async () => {
      const fs = await proc([[1, 0, 1], [100, 1, 500], [200, 100, 600]]);
      let reads = 0;
      const racing = new (class extends ProcFs {
        override stat(pid: number): ProcStat {
          const s = super.stat(pid);
          return pid === 200 && ++reads > 1 ? { ...s, startTime: 700 } : s;
        }
      })(fs.root);
      const attributor = new Attributor({ directory: directory([{ name: 'web', pid: 100, startTime: 500 }]), proc: racing });
      await assert.rejects(attributor.attribute(200), /exited during the request and its pid was reused/);
    });

    it('does not attribute orphans reparented to init, nor walk past the depth bound', async () => {
      const fs = await proc([[1, 0, 1], [300, 1, 700]]);
      const attributor = new Attributor({ directory: directory([{ name: 'init-child', pid: 1 }]), proc: fs });
      await assert.rejects(attributor.attribute(300), UnattributedError);
      const chain: Array<[number, number, number]> = [[1000, 1, 1]];
      for (let i = 1; i <= 80; i++) chain.push([1000 + i, 1000 + i - 1, 1 + i]);
      const deep = await proc(chain);
      const far = new Attributor({ directory: directory([{ name: 'root', pid: 1000 }]), proc: deep });
      await assert.rejects(far.attribute(1080), UnattributedError);
      assert.equal((await far.attribute(1010)).name, 'root');
    });

    it('refetches the directory once when a caller is not found in a stale listing', async () => {
      const fs = await proc([[1, 0, 1], [100, 1, 500], [200, 100, 600]]);
      let now = 0;
      let listing: DirectoryEntry[] = [];
      let fetches = 0;
      const attributor = new Attributor({
        directory: { services: async () => (fetches++, listing) },
        proc: fs,
        clock: () => now,
      });
      await assert.rejects(attributor.attribute(200), UnattributedError);
      assert.equal(fetches, 1); // a fresh listing is not refetched
      listing = [{ name: 'web', pid: 100 }];
      now += 100;
      assert.equal((await attributor.attribute(200)).name, 'web');
      assert.equal(fetches, 2);
      assert.equal((await attributor.attribute(200)).name, 'web');
      assert.equal(fetches, 2); // served from the cache
    });

    it('answers a miss only with a fetch started after the caller arrived, one fetch at a time', async () => {
      const fs = await proc([[1, 0, 1], [100, 1, 500], [200, 100, 600], [300, 1, 650]]);
      let now = 0;
      const answers: Array<(entries: DirectoryEntry[]) => void> = [];
      const attributor = new Attributor({
        directory: { services: () => new Promise<DirectoryEntry[]>((resolve) => answers.push(resolve)) },
        proc: fs,
        clock: () => now,
      });
      /** Lets pending promise callbacks run until init has been asked `n` times (bounded: never a timed sleep). */
      const asked = async (n: number): Promise<void> => {
        for (let i = 0; i < 1000 && answers.length < n; i++) await new Promise((r) => setImmediate(r));
        assert.equal(answers.length, n, `the directory asked ${n} times`);
      };
      const web: DirectoryEntry[] = [{ name: 'web', pid: 100 }];

      // a listing without web is cached; 300 (no service) misses in it and starts a refetch, still before web exists
      const first = attributor.attribute(300);
      await asked(1);
      answers[0]!([]);
      await assert.rejects(first, UnattributedError);
      now += 100;
      const unsupervised = attributor.attribute(300);
      await asked(2);
      // web starts and its client 200 calls twice while that refetch is under way: neither may be answered with it
      const client = [attributor.attribute(200), attributor.attribute(200)];
      answers[1]!([]);
      await assert.rejects(unsupervised, UnattributedError);
      await asked(3); // one follow-up fetch for both, started once the older one settled
      answers[2]!(web);
      for (const id of await Promise.all(client)) assert.equal(id.name, 'web');
      assert.equal(answers.length, 3);
    });
  });
});
