// The one signal rule, table-driven: what every FortrOS program accepts and refuses.
import assert from 'node:assert/strict';
import { SignalNameError, checkSignal, parseSignalName, signalNumber } from '../src/index.js';

/** Inputs and what the rule makes of them (null: refused). */
const SIGNAL_CASES: readonly (readonly [string, NodeJS.Signals | null])[] = [
  ['SIGHUP', 'SIGHUP'],
  ['HUP', 'SIGHUP'],
  ['hup', 'SIGHUP'],
  ['  term ', 'SIGTERM'],
  ['1', 'SIGHUP'],
  ['9', 'SIGKILL'],
  ['usr1', 'SIGUSR1'],
  ['SIGIOT', 'SIGIOT'],
  ['SIGRTMIN+3', null],
  ['RTMIN', null],
  ['34', null],
  ['0', null],
  ['-1', null],
  ['', null],
  ['SIG', null],
  ['SIGNOPE', null],
  ['constructor', null],
];

describe('signal names', () => {
  for (const [input, want] of SIGNAL_CASES) {
    it(`${JSON.stringify(input)} → ${want ?? 'refused'}`, () => {
      const r = checkSignal(input);
      if (want === null) {
        assert.equal(r.ok, false);
        assert.throws(() => parseSignalName(input), (err: Error) => err instanceof SignalNameError && /expected a signal name/.test(err.message) && err.message.includes(JSON.stringify(input.trim()).slice(1, -1)));
      } else {
        assert.deepEqual(r, { ok: true, value: want });
        assert.equal(parseSignalName(input), want);
      }
    });
  }

  it('numbers round-trip through names', () => {
    assert.equal(signalNumber('SIGTERM'), 15);
    assert.equal(parseSignalName(String(signalNumber('SIGUSR2'))), 'SIGUSR2');
  });
});
