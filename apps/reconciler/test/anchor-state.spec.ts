// The anchor's state file: every line kind parsed, a corrupt one refused naming the file, wait statuses decoded.
import assert from 'node:assert/strict';
import { exitFromStatus, isAlive, parseAnchorState } from '../src/driver/anchor-state.js';
import { AnchorStateError } from '../src/errors.js';
import { ProcFs } from '@fortros/procfs';

describe('anchor state file', () => {
  const F = '/run/x/state';
  const anchor = { pid: 10, start: 500 };
  const cases: [string, unknown][] = [
    ['starting 10 500\n', { phase: 'starting', anchor }],
    ['running 10 500 11 501\n', { phase: 'running', anchor, workload: { pid: 11, start: 501 } }],
    ['exited 10 500 11 501 137\n', { phase: 'exited', anchor, workload: { pid: 11, start: 501 }, status: 137 }],
    ['failed 10 500 cannot create /run/x/log.fifo\n', { phase: 'failed', anchor, reason: 'cannot create /run/x/log.fifo' }],
  ];
  for (const [text, want] of cases) it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseAnchorState(F, text), want));

  for (const bad of ['', 'running 10', 'running 10 500 x 1', 'exited 10 500 11 501', 'paused 10 500', 'running -1 500 2 3']) {
    it(`refuses ${JSON.stringify(bad)} naming the file`, () => {
      assert.throws(() => parseAnchorState(F, bad), (err: Error) => err instanceof AnchorStateError && err.message.startsWith(`${F}: `));
    });
  }

  it('decodes wait statuses: codes, and above 128 a signal', () => {
    assert.deepEqual(exitFromStatus(0), { code: 0, signal: null });
    assert.deepEqual(exitFromStatus(3), { code: 3, signal: null });
    assert.deepEqual(exitFromStatus(137), { code: null, signal: 'SIGKILL' });
    assert.deepEqual(exitFromStatus(143), { code: null, signal: 'SIGTERM' });
  });

  it('a process is alive only with the recorded start time (a reused pid is not it)', () => {
    const me = { pid: process.pid, start: new ProcFs().startTime(process.pid) };
    assert.equal(isAlive(me), true);
    assert.equal(isAlive({ ...me, start: me.start + 1 }), false);
  });
});
