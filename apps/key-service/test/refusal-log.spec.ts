// Refused callers' warnings: first logged, the rest counted and summarised per pid per interval, bounded lines and pids.
import { strict as assert } from 'node:assert';
import { REFUSAL_LOG_INTERVAL_MS } from '../src/constants.js';
import { RefusalLog, type Refusal } from '../src/server/refusal-log.js';
import { recordingLogger, type Recorded } from './helpers.js';

const INTERVAL = 1000;

describe('refusal log', () => {
  let now = 0;
  const clock = (): number => now;
  let logger: ReturnType<typeof recordingLogger>;
  const refusal = (pid: number, reason = `process ${pid} does not descend from a service`): Refusal => ({ pid, uid: 1000 + pid, reason });
  const lines = (msg?: string): Recorded[] => logger.records.filter((r) => r.level === 'warn' && (msg === undefined || r.msg === msg));
  /** Refusals the log accounted for: one per `caller refused` line plus every `suppressed` count. */
  const accounted = (): number => lines().reduce((n, r) => n + (r.msg === 'caller refused' ? 1 : 0) + Number(r.fields['suppressed'] ?? 0), 0);

  beforeEach(() => {
    now = 5000;
    logger = recordingLogger();
  });

  it('logs the first refusal of a pid at once, with pid, uid and reason', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, clock });
    log.refused(refusal(42));
    assert.deepEqual(lines(), [{ level: 'warn', msg: 'caller refused', fields: { pid: 42, uid: 1042, reason: 'process 42 does not descend from a service', suppressed: 0 } }]);
  });

  it('counts the refusals of the same pid within the interval, and logs the count with the first one after it', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, clock });
    log.refused(refusal(42));
    for (let i = 0; i < 500; i++) {
      now += 1;
      log.refused(refusal(42));
    }
    assert.equal(lines().length, 1, 'one line for 501 refusals within the interval');
    now = 5000 + INTERVAL;
    log.refused(refusal(42, 'process 42 exited after connecting and its pid was reused'));
    assert.equal(lines().length, 2);
    assert.deepEqual(lines()[1]!.fields, { pid: 42, uid: 1042, reason: 'process 42 exited after connecting and its pid was reused', suppressed: 500 });
  });

  it('limits each pid separately', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, clock });
    for (let i = 0; i < 10; i++) for (const pid of [1, 2, 3]) log.refused(refusal(pid));
    assert.deepEqual(lines().map((r) => r.fields['pid']), [1, 2, 3]);
  });

  it('sweeps: logs a count left over once its interval has passed, then forgets a pid quiet for an interval', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, clock });
    log.refused(refusal(42));
    now += 10;
    log.refused(refusal(42));
    log.refused(refusal(42));
    log.sweep();
    assert.equal(lines().length, 1, 'not before the interval');
    now = 5000 + INTERVAL;
    log.sweep();
    assert.deepEqual(lines('caller refusals suppressed').map((r) => r.fields), [{ pid: 42, uid: 1042, reason: 'process 42 does not descend from a service', suppressed: 2 }]);
    assert.equal(log.size, 1);
    now += INTERVAL;
    log.sweep();
    assert.equal(log.size, 0, 'quiet for a whole interval: forgotten');
    assert.equal(lines().length, 2);
    log.refused(refusal(42));
    assert.equal(lines('caller refused').length, 2, 'its next refusal is logged at once');
  });

  it('writes at most maxLinesPerInterval lines per interval across pids; the others are logged by a later sweep', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, maxLinesPerInterval: 3, clock });
    for (let pid = 1; pid <= 5; pid++) log.refused(refusal(pid));
    assert.deepEqual(lines().map((r) => r.fields['pid']), [1, 2, 3]);
    log.sweep();
    assert.equal(lines().length, 3, 'the budget is spent');
    now += INTERVAL;
    log.sweep();
    assert.deepEqual(lines('caller refusals suppressed').map((r) => [r.fields['pid'], r.fields['suppressed']]), [[4, 1], [5, 1]]);
    assert.equal(accounted(), 5);
  });

  it('remembers at most maxCallers pids, the least recently refused evicted and its count logged in one tally line', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, maxCallers: 2, clock });
    for (const pid of [1, 2]) {
      log.refused(refusal(pid));
      log.refused(refusal(pid)); // counted, not logged
    }
    log.refused(refusal(1)); // 1 is now the most recently refused: 2 goes first
    log.refused(refusal(3));
    assert.equal(log.size, 2);
    log.refused(refusal(4));
    assert.equal(log.size, 2);
    log.sweep();
    assert.deepEqual(lines('more caller refusals suppressed').map((r) => r.fields), [{ callers: 2, suppressed: 3 }]);
    assert.equal(accounted(), 7);
  });

  it('at stop, logs every count not logged yet, and stops sweeping; idempotent', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, maxLinesPerInterval: 3, clock });
    log.start();
    log.start();
    for (let pid = 1; pid <= 4; pid++) for (let i = 0; i < 3; i++) log.refused(refusal(pid));
    log.stop();
    assert.deepEqual(lines('caller refused').map((r) => r.fields['pid']), [1, 2, 3]);
    assert.deepEqual(lines('more caller refusals suppressed').map((r) => r.fields), [{ callers: 4, suppressed: 9 }], 'the budget of this interval is spent: one line');
    assert.equal(accounted(), 12);
    log.stop();
    assert.equal(lines().length, 4);
    assert.equal(log.size, 0);
  });

  it('under a flood from many pids, writes a bounded number of lines and accounts for every refusal', () => {
    const log = new RefusalLog(logger, { intervalMs: INTERVAL, maxLinesPerInterval: 5, maxCallers: 50, clock });
    let total = 0;
    for (let ms = 0; ms < 20 * INTERVAL; ms++) {
      now = 5000 + ms;
      log.refused(refusal(1)); // one process in a loop
      log.refused(refusal(100 + (ms % 200))); // and 200 others, more than are remembered
      total += 2;
      if (ms % INTERVAL === INTERVAL - 1) log.sweep();
    }
    log.stop();
    assert.ok(lines().length <= 20 * (5 + 1) + 5 + 1, `${lines().length} lines for ${total} refusals`);
    assert.equal(accounted(), total);
    const ofPid1 = lines().filter((r) => r.fields['pid'] === 1);
    assert.ok(ofPid1.length >= 2 && ofPid1.length <= 21, `${ofPid1.length} lines about pid 1`);
  });

  it('defaults to the constants, and refuses bad options', () => {
    const log = new RefusalLog(logger);
    assert.equal(log.intervalMs, REFUSAL_LOG_INTERVAL_MS);
    assert.throws(() => new RefusalLog(logger, { intervalMs: 0 }), /intervalMs: expected a positive integer, got 0/);
    assert.throws(() => new RefusalLog(logger, { maxCallers: 1.5 }), /maxCallers: expected a positive integer, got 1.5/);
  });
});
