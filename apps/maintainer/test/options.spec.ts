// The command line: defaults, and errors that name the flag and say what was expected.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, type MaintainerOptions } from '../src/node/options.js';
import { UsageError } from '@fortros/daemon'; // every usage error, the daemon skeleton's and the maintainer's own

const run = (argv: string[], env: NodeJS.ProcessEnv = {}): MaintainerOptions => {
  const cmd = parseCommandLine(argv, env);
  assert.equal(cmd.command, 'run');
  return (cmd as { options: MaintainerOptions }).options;
};

describe('maintainer options', () => {
  it('fills in defaults', () => {
    const o = run([]);
    assert.equal(o.root, '/');
    assert.deepEqual(o.bind, { host: '127.0.0.1', port: 51820 });
    assert.deepEqual(run(['--mesh', 'none']).bind, { host: '127.0.0.1', port: 7946 });
    assert.deepEqual(o.join, []);
    assert.equal(o.mesh, 'wireguard');
    assert.equal(o.interface, 'fortros0');
    assert.equal(o.joinToken, undefined);
    assert.equal(o.notifyFd, undefined);
    assert.equal(o.logLevel, 'info');
    assert.deepEqual(o.faults, { dropPeers: [], dropPeersFile: undefined });
  });

  it('reads every flag, in both spellings, and several seeds', () => {
    const o = run(['--root', '/tmp/n1', '--notify-fd=3', '--name', 'a', '--bind', '127.0.0.2:9000', '--join', '127.0.0.1:9000', '--join=127.0.0.3:9000,127.0.0.4:9000', '--mesh', 'none', '--label', 'zone=b', '--log-level', 'debug']);
    assert.equal(o.root, '/tmp/n1');
    assert.equal(o.notifyFd, 3);
    assert.equal(o.name, 'a');
    assert.deepEqual(o.bind, { host: '127.0.0.2', port: 9000 });
    assert.deepEqual(o.join.map((j) => `${j.host}:${j.port}`), ['127.0.0.1:9000', '127.0.0.3:9000', '127.0.0.4:9000']);
    assert.deepEqual(o.labels, { zone: 'b' });
    assert.equal(o.logLevel, 'debug');
  });

  it('takes the root from FORTROS_ROOT and the fault hook from the test-only variables', () => {
    const o = run([], { FORTROS_ROOT: '/srv/node', FORTROS_TEST_DROP_PEERS: '127.0.0.2:1, 127.0.0.3:2', FORTROS_TEST_DROP_PEERS_FILE: '/tmp/drop' });
    assert.equal(o.root, '/srv/node');
    assert.deepEqual(o.faults, { dropPeers: ['127.0.0.2:1', '127.0.0.3:2'], dropPeersFile: '/tmp/drop' });
  });

  it('reads the join token from --join-token, @FILE, or joinToken in <root>/etc/fortros/node.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'fortros-opts-'));
    try {
      assert.equal(run(['--root', root, '--join-token', ' tok ']).joinToken, 'tok');
      writeFileSync(join(root, 'token'), 'from-file\n');
      assert.equal(run(['--root', root, '--join-token', `@${join(root, 'token')}`]).joinToken, 'from-file');
      mkdirSync(join(root, 'etc/fortros'), { recursive: true });
      writeFileSync(join(root, 'etc/fortros/node.json'), JSON.stringify({ joinToken: 'from-config' }));
      assert.equal(run(['--root', root]).joinToken, 'from-config');
      assert.equal(run(['--root', root, '--join-token', 'flag-wins']).joinToken, 'flag-wins');
      assert.equal(run(['--root', root, '--mesh', 'none']).joinToken, undefined, 'no token off the mesh');
      writeFileSync(join(root, 'etc/fortros/node.json'), JSON.stringify({ joinToken: 7 }));
      assert.throws(() => run(['--root', root]), /node\.json: joinToken: expected a string, got number/);
      writeFileSync(join(root, 'etc/fortros/node.json'), '{nope');
      assert.throws(() => run(['--root', root]), /node\.json: expected a JSON object/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('answers --help', () => {
    assert.deepEqual(parseCommandLine(['--bind', 'x', '--help'], {}), { command: 'help' });
  });

  const bad: [string[], RegExp][] = [
    [['--mesh', 'tunnel'], /--mesh: expected one of wireguard, none, got "tunnel"/],
    [['--join', '127.0.0.1:9000'], /--join: expected only with --mesh none/],
    [['--bind', '10.0.0.1:7946'], /--bind: expected another port than 7946 with --mesh wireguard/],
    [['--interface', 'a-name-longer-than-15'], /--interface: expected 1 to 15 characters/],
    [['--join-token', '@/nonexistent/token'], /--join-token: cannot read \/nonexistent\/token: ENOENT/],
    [['--mesh', 'none', '--join-token', 'x'], /--join-token: expected only with --mesh wireguard/],
    [['--bind', '127.0.0.1'], /--bind: expected ADDR:PORT/],
    [['--bind', '127.0.0.1:70000'], /--bind: expected ADDR:PORT/],
    [['--bind', '0.0.0.0:51820'], /--bind: expected an address peers can reach/],
    [['--mesh', 'none', '--join', 'nope'], /--join: expected ADDR:PORT/],
    [['--notify-fd', '1'], /--notify-fd: expected an fd number of 3 or more/],
    [['--log-level', 'loud'], /--log-level: expected one of/],
    [['--root'], /--root: expected a value/],
    [['--root', 'a', '--root', 'b'], /--root: expected once/],
    [['--frobnicate'], /expected an option/],
    [['--label', '=x'], /--label: expected KEY=VALUE/],
    [['--name', 'has space'], /--name: expected/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseCommandLine(argv, {}), (err: unknown) => err instanceof UsageError && message.test(err.message));
    });
  }
});
