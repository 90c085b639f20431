// fortros-keys' command line: defaults under the root, validation that says what it expected.
import { strict as assert } from 'node:assert';
import { UsageError } from '@fortros/daemon'; // every usage error, the daemon skeleton's and fortros-keys' own
import { parseCommandLine } from '../src/options.js';

describe('fortros-keys command line', () => {
  it('puts every path under the root, from --root or FORTROS_ROOT', () => {
    const cmd = parseCommandLine(['--root', '/srv/a', '--notify-fd', '3', '--policy', '/etc/p.json'], {});
    assert.deepEqual(cmd, {
      command: 'run',
      options: {
        root: '/srv/a',
        socketPath: '/srv/a/run/fortros/keys.sock',
        initSocketPath: '/srv/a/run/fortros/init.sock',
        reconcilerSocketPath: '/srv/a/run/fortros/reconciler.sock',
        policyFile: '/etc/p.json',
        notifyFd: 3,
        metrics: undefined,
        logLevel: 'info',
        logFormat: 'logfmt',
      },
    });
    const env = parseCommandLine(['--init-socket', '/x/i.sock', '--log-level', 'debug'], { FORTROS_ROOT: '/n' });
    assert.equal(env.command === 'run' && env.options.socketPath, '/n/run/fortros/keys.sock');
    assert.equal(env.command === 'run' && env.options.initSocketPath, '/x/i.sock');
    assert.equal(parseCommandLine([], {}).command === 'run' && (parseCommandLine([], {}) as { options: { root: string } }).options.root, '/');
    assert.deepEqual(parseCommandLine(['--help'], {}), { command: 'help' });
    const m = parseCommandLine(['--metrics', '127.0.0.1:9102'], {});
    assert.deepEqual(m.command === 'run' && m.options.metrics, { host: '127.0.0.1', port: 9102 });
  });

  for (const [argv, pattern] of [
    [['--notify-fd', '1'], /--notify-fd: expected an fd number of 3 or more, got "1"/],
    [['--metrics', '9102'], /--metrics: expected HOST:PORT \(e.g. 127.0.0.1:9101\), got "9102"/],
    [['--log-level', 'loud'], /--log-level: expected one of debug, info, warn, error, got "loud"/],
    [['--root', ''], /--root: expected a directory/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
  ] as const) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseCommandLine([...argv], {}), (e: Error) => e instanceof UsageError && pattern.test(e.message));
    });
  }
});
