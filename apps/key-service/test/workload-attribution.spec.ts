// Workload callers: the reconciler's ResolvePid answer, checked against the caller's real ancestry and start times;
// its cache keyed by (pid, start time); the reconciler unreachable → refused (services unaffected).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ProcFs } from '@fortros/procfs';
import { Attributor } from '../src/attribution/attributor.js';
import type { DirectoryEntry } from '../src/attribution/identity.js';
import { ReconcilerLookup, toEntry } from '../src/attribution/reconciler-lookup.js';
import { WorkloadResolver, type WorkloadLookup } from '../src/attribution/workload-resolver.js';
import { UnattributedError, WorkloadResolverUnavailableError } from '../src/errors.js';
import { OwnedProcesses, readLines, tempDir } from './helpers.js';

const directory = (entries: DirectoryEntry[]) => ({ services: async () => entries });
const proc = new ProcFs();

/** A lookup answering `answer(pid)` and counting its calls. */
function lookupOf(answer: (pid: number) => DirectoryEntry | undefined | Error): WorkloadLookup & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    resolvePid: async (pid) => {
      calls.push(pid);
      const a = answer(pid);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

describe('workload attribution', () => {
  const owned = new OwnedProcesses();
  afterEach(() => owned.killAll());

  /** A shell (the workload's main process, or the reconciler) running a child (its caller); both pids. */
  async function parentWithChild(): Promise<{ main: number; child: number }> {
    const sh = owned.spawn('/bin/sh', ['-c', 'tail -f /dev/null & echo $!; wait']);
    const [line] = await readLines(sh, 1);
    owned.adopt(Number(line));
    return { main: sh.pid!, child: Number(line) };
  }

  const workload = (pid: number, startTime = proc.startTime(pid)): DirectoryEntry => ({ kind: 'workload', name: 'job', pid, startTime, purposes: ['tls'] });

  it('attributes a caller under no service to the workload the reconciler names, its main process and its children', async () => {
    const { main, child } = await parentWithChild();
    const lookup = lookupOf((pid) => (pid === main || pid === child ? workload(main) : undefined));
    const attributor = new Attributor({ directory: directory([]), workloads: new WorkloadResolver({ lookup }) });
    assert.deepEqual(await attributor.attribute(child), { kind: 'workload', name: 'job', pid: main, callerPid: child, purposes: ['tls'] });
    assert.deepEqual(await attributor.attribute(main), { kind: 'workload', name: 'job', pid: main, callerPid: main, purposes: ['tls'] });
    await assert.rejects(attributor.attribute(process.pid), UnattributedError);
  });

  it('refuses when the named main pid has another start time (pid reuse) or is not an ancestor of the caller', async () => {
    const { main, child } = await parentWithChild();
    const reused = new Attributor({ directory: directory([]), workloads: new WorkloadResolver({ lookup: lookupOf(() => workload(main, proc.startTime(main) + 1)) }) });
    await assert.rejects(reused.attribute(child), (err: Error) => err instanceof UnattributedError && /pid reused/.test(err.message));
    const other = await parentWithChild();
    const elsewhere = new Attributor({ directory: directory([]), workloads: new WorkloadResolver({ lookup: lookupOf(() => workload(other.main)) }) });
    await assert.rejects(elsewhere.attribute(child), /does not descend from a service supervised by init or a workload/);
  });

  it("below the reconciler service: the workload when the reconciler says so, else the service; its main pid is not asked about", async () => {
    const { main, child } = await parentWithChild();
    const services = directory([{ name: 'reconciler', pid: main, startTime: proc.startTime(main) }]);
    const found = lookupOf(() => workload(child));
    const a = new Attributor({ directory: services, workloads: new WorkloadResolver({ lookup: found }) });
    assert.equal((await a.attribute(child)).kind, 'workload');
    assert.deepEqual((await a.attribute(main)).name, 'reconciler');
    assert.deepEqual(found.calls, [child]);
    const none = new Attributor({ directory: services, workloads: new WorkloadResolver({ lookup: lookupOf(() => undefined) }) });
    assert.deepEqual(await none.attribute(child), { kind: 'service', name: 'reconciler', pid: main, callerPid: child });
  });

  it('refuses workload callers while the reconciler cannot be asked; other services are never asked about', async () => {
    const { main, child } = await parentWithChild();
    const down = lookupOf((pid) => new WorkloadResolverUnavailableError(`fortros-reconciler is down (asked about ${pid})`, pid));
    const orphan = new Attributor({ directory: directory([]), workloads: new WorkloadResolver({ lookup: down }) });
    await assert.rejects(orphan.attribute(child), (err: Error) => err instanceof WorkloadResolverUnavailableError && /does not descend from a service supervised by init, and fortros-reconciler/.test(err.message));
    const service = new Attributor({ directory: directory([{ name: 'web', pid: main }]), workloads: new WorkloadResolver({ lookup: down }) });
    assert.equal((await service.attribute(child)).name, 'web');
    assert.equal(down.calls.length, 1);
  });

  it('caches found answers per (pid, start time) for a while, bounded; "no workload" is never cached', async () => {
    let now = 0;
    let answer: DirectoryEntry | undefined = workload(process.pid);
    const lookup = lookupOf(() => answer);
    const r = new WorkloadResolver({ lookup, clock: () => now, cacheMs: 1000, maxEntries: 2 });
    await r.resolve(10, 1);
    await r.resolve(10, 1);
    assert.deepEqual(lookup.calls, [10], 'second call from the cache');
    await r.resolve(10, 2);
    assert.deepEqual(lookup.calls, [10, 10], 'another start time is another process');
    now = 1000;
    await r.resolve(10, 1);
    assert.equal(lookup.calls.length, 3, 'expired');
    await r.resolve(11, 1);
    await r.resolve(12, 1);
    assert.equal(r.size, 2);
    answer = undefined;
    assert.equal(await r.resolve(13, 1), undefined);
    assert.equal(await r.resolve(13, 1), undefined);
    assert.equal(lookup.calls.filter((p) => p === 13).length, 2);
  });

  it("turns ResolvePid answers into entries and an unreachable reconciler into WorkloadResolverUnavailableError", async () => {
    assert.equal(toEntry({ found: false, workload: '', workloadPid: 0, pidStartTime: 0, keys: [] }), undefined);
    assert.deepEqual(toEntry({ found: true, workload: 'job', workloadPid: 42, pidStartTime: 7, keys: ['tls'] }), {
      kind: 'workload',
      name: 'job',
      pid: 42,
      startTime: 7,
      purposes: ['tls'],
    });
    assert.equal(toEntry({ found: true, workload: 'job', workloadPid: 42, pidStartTime: 0, keys: [] }), undefined, 'no start time');
    const dir = await tempDir();
    const lookup = new ReconcilerLookup(join(dir.path, 'reconciler.sock'), 500);
    try {
      await assert.rejects(lookup.resolvePid(process.pid), (err: Error) => err instanceof WorkloadResolverUnavailableError && /reconciler\.sock/.test(err.message));
    } finally {
      lookup.close();
      await dir.remove();
    }
  });
});
