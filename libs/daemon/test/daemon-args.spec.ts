// parseDaemonArgs: the common flags with their defaults, a daemon's own flags, and every bad line a UsageError.
import assert from 'node:assert/strict';
import { parseDaemonArgs, UsageError } from '../src/index.js';

describe('parseDaemonArgs', () => {
  it('has the common defaults, the root from the environment', () => {
    const a = parseDaemonArgs([], { FORTROS_ROOT: '/srv/n' }, []);
    assert.ok(a !== 'help');
    assert.equal(a.root, '/srv/n');
    assert.deepEqual(a.common, { notifyFd: undefined, metrics: undefined, logLevel: 'info', logFormat: 'logfmt' });
  });

  it('reads the common flags and the daemon own ones', () => {
    const a = parseDaemonArgs(['--root=/r', '--notify-fd', '4', '--metrics', '[::1]:9100', '--log-level', 'debug', '--log-format', 'json', '--policy', 'p.json'], {}, ['policy']);
    assert.ok(a !== 'help');
    assert.equal(a.root, '/r');
    assert.deepEqual(a.common, { notifyFd: 4, metrics: { host: '::1', port: 9100 }, logLevel: 'debug', logFormat: 'json' });
    assert.equal(a.flag('policy'), 'p.json');
    assert.equal(a.flag('absent'), undefined);
  });

  it('answers --help and -h', () => {
    assert.equal(parseDaemonArgs(['--help'], {}, []), 'help');
    assert.equal(parseDaemonArgs(['-h'], {}, []), 'help');
  });

  const bad: [string[], RegExp][] = [
    [['--root', ''], /--root: expected a directory, got ""/],
    [['--log-level', 'loud'], /--log-level: expected one of debug, info, warn, error, got "loud"/],
    [['--log-format', 'yaml'], /--log-format: expected one of logfmt, json, got "yaml"/],
    [['--notify-fd', '2'], /--notify-fd: expected an fd number of 3 or more/],
    [['--metrics', 'x'], /--metrics: expected HOST:PORT/],
    [['--policy', 'p'], /policy/],
    [['extra'], /extra/],
  ];
  for (const [argv, re] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseDaemonArgs(argv, {}, []), (e: unknown) => e instanceof UsageError && re.test((e as Error).message));
    });
  }
});
