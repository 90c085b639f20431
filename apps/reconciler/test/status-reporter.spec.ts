// The status reporter: the newest status per workload reaches the sink, failures are retried with backoff until the
// sink takes them, and a status refused as INVALID_ARGUMENT is dropped without holding back the others.
import assert from 'node:assert/strict';
import { createLogger } from '@fortros/log';
import { RpcCallError, StatusCode } from '@fortros/rpc';
import type { ObservedStatus } from '../src/plan/planner.js';
import { StatusReporter, wireStatus } from '../src/daemon/status-reporter.js';

const logger = createLogger({ sink: { write: () => undefined }, level: 'error' });
const status = (workload: string, restarts: number, reason = ''): ObservedStatus => ({
  workload,
  phase: 'running',
  pid: 42,
  restarts,
  since: new Date(0).toISOString(),
  lastExit: null,
  reason,
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('status reporter', () => {
  it('leaves an empty reason out (the maintainer refuses an empty string)', () => {
    assert.equal('reason' in wireStatus(status('a', 0)), false);
    assert.equal(wireStatus(status('a', 0, 'why')).reason, 'why');
  });

  it('retries while the sink fails, then sends only the newest status of each workload', async () => {
    let down = true;
    const got: Record<string, unknown>[] = [];
    const reporter = new StatusReporter(
      {
        report: async (s) => {
          if (down) throw new RpcCallError(StatusCode.UNAVAILABLE, 'maintainer away', 'reportObserved');
          got.push(s as Record<string, unknown>);
        },
      },
      logger,
    );
    reporter.start();
    reporter.push([status('a', 1)]);
    reporter.push([status('a', 2), status('b', 0)]);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(got, []);
    down = false;
    await until(() => got.length === 2);
    await reporter.stop();
    assert.deepEqual(got.map((s) => [s['workload'], s['restarts']]).sort(), [['a', 2], ['b', 0]]);
  });

  it('drops a status refused as INVALID_ARGUMENT and sends the others', async () => {
    const got: string[] = [];
    const reporter = new StatusReporter(
      {
        report: async (s) => {
          const id = (s as { workload: string }).workload;
          if (id === 'bad') throw new RpcCallError(StatusCode.INVALID_ARGUMENT, 'reason: expected …', 'reportObserved');
          got.push(id);
        },
      },
      logger,
    );
    reporter.start();
    reporter.push([status('bad', 0), status('good', 0)]);
    await until(() => got.includes('good'));
    reporter.push([status('later', 0)]);
    await until(() => got.includes('later'));
    await reporter.stop();
    assert.deepEqual(got, ['good', 'later']);
  });
});
