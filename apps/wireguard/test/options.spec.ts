// fortros-wireguard's command line: defaults, the root from the environment, and each bad value named by its flag.
import { strict as assert } from 'node:assert';
import { UsageError } from '@fortros/daemon';
import { parseCommandLine } from '../src/index.js';

describe('command line', () => {
  it('has defaults and derives the key path from the root', () => {
    const cmd = parseCommandLine(['--interface', 'fort0'], { FORTROS_ROOT: '/srv/node' });
    assert.equal(cmd.command, 'run');
    if (cmd.command !== 'run') return;
    assert.deepEqual(cmd.options, {
      root: '/srv/node',
      keyPath: '/srv/node/persist/wireguard/private.key',
      interfaceName: 'fort0',
      listenPort: 51820,
      address: undefined,
      mtu: undefined,
      backend: 'auto',
      notifyFd: undefined,
      metrics: undefined,
      logLevel: 'info',
      logFormat: 'logfmt',
    });
  });

  it('takes every option', () => {
    const cmd = parseCommandLine(['--interface=fort1', '--root', '/r', '--listen-port', '5000', '--address', '10.42.0.7/16', '--mtu', '1380', '--backend', 'userspace', '--notify-fd', '3', '--metrics', '127.0.0.1:9105', '--log-format', 'json'], {});
    assert.ok(cmd.command === 'run');
    assert.equal(cmd.options.listenPort, 5000);
    assert.equal(cmd.options.address, '10.42.0.7/16');
    assert.equal(cmd.options.mtu, 1380);
    assert.equal(cmd.options.backend, 'userspace');
    assert.equal(cmd.options.notifyFd, 3);
    assert.equal(cmd.options.root, '/r');
    assert.deepEqual(cmd.options.metrics, { host: '127.0.0.1', port: 9105 });
  });

  const bad: [string[], RegExp][] = [
    [[], /--interface: required/],
    [['--interface', 'a-name-far-too-long'], /--interface: expected a name of 1-15/],
    [['--interface', 'x', '--listen-port', '70000'], /--listen-port: expected an integer port/],
    [['--interface', 'x', '--listen-port', 'http'], /--listen-port: expected an integer/],
    [['--interface', 'x', '--address', '10.0.0.1'], /--address: expected an address with a prefix length/],
    [['--interface', 'x', '--mtu', '100'], /--mtu: expected an integer 576-65535/],
    [['--interface', 'x', '--backend', 'go'], /--backend: expected one of auto, kernel, userspace/],
    [['--interface', 'x', '--notify-fd', '1'], /--notify-fd: expected an fd number of 3 or more/],
    [['--interface', 'x', '--metrics', '9105'], /--metrics: expected HOST:PORT/],
    [['--interface', 'x', '--root', ''], /--root: expected a directory/],
    [['--interface', 'x', '--bogus'], /bogus/],
  ];
  for (const [argv, re] of bad) {
    it(`refuses ${argv.join(' ') || 'no arguments'}`, () => {
      assert.throws(() => parseCommandLine(argv, {}), (e: unknown) => e instanceof UsageError && re.test((e as Error).message));
    });
  }

  it('answers --help', () => {
    assert.deepEqual(parseCommandLine(['--help'], {}), { command: 'help' });
  });
});
