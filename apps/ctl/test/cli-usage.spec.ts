// Command-line parsing, help and exit codes, run in-process (no daemon needed).
import { parseSignalName, SignalNameError } from '@fortros/core';
import assert from 'node:assert/strict';
import { ExitCode } from '../src/cli/exit-codes.js';
import { normaliseGlobals } from '../src/cli/global-options.js';
import { parseCommandLine } from '../src/cli/parse-args.js';
import { runCli } from '../src/cli/run-cli.js';
import type { Output } from '../src/commands/command.js';
import { COMMANDS } from '../src/commands/registry.js';
import { normaliseSignal } from '../src/commands/control.js';

function capture(): Output & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', line: (t: string) => void (o.stdout += `${t}\n`), write: (t: string) => void (o.stdout += t), error: (t: string) => void (o.stderr += `${t}\n`) };
  return o;
}

async function run(argv: string[], env: Record<string, string> = {}) {
  const out = capture();
  const code = await runCli(argv, { env, out, signal: new AbortController().signal });
  return { code, stdout: out.stdout, stderr: out.stderr };
}

describe('command line (cli/)', () => {
  const usage: [string[], RegExp][] = [
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['services', '--bogus'], /unknown flag --bogus/],
    [['--bogus', 'services'], /unknown flag --bogus/],
    [['status'], /status: missing NAME/],
    [['signal', 'web'], /signal: missing SIG/],
    [['wait', 'a', 'b'], /unexpected argument "b"/],
    [['services', '--root'], /--root: missing its value/],
    [['--timeout', 'soon', 'services'], /--timeout: expected milliseconds \(an integer ≥ 0\), got "soon"/],
    [['--timeout', '-5', 'services'], /--timeout/],
    [['logs', 'web', '-n', '0'], /-n: expected a positive integer, got 0/],
    [['logs', 'web', '-n', 'ten'], /-n: expected a positive integer, got ten/],
    [['wait', 'web', '--state', 'running'], /--state: expected one of inactive, blocked, starting, ready, stopping, backoff, failed, got running/],
    [['signal', 'web', 'NOPE'], /SIG: expected a signal name/],
    [['start', 'web', '--wait=yes'], /--wait: takes no value/],
    [['--json=1', 'services'], /--json/],
  ];
  for (const [argv, message] of usage) {
    it(`exits 2 for \`fortctl ${argv.join(' ')}\`, with usage on stderr`, async () => {
      const r = await run(['--socket', '/nonexistent/init.sock', ...argv]);
      assert.equal(r.code, ExitCode.Usage, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Usage: fortctl/);
      assert.equal(r.stdout, '');
    });
  }

  it('prints help at every level with exit 0: --help, -h, COMMAND --help, help COMMAND', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      assert.equal(r.code, 0);
      for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c.name}\\b`, 'm'));
      assert.match(r.stdout, /Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3/);
    }
    for (const c of COMMANDS) {
      for (const argv of [[c.name, '--help'], ['help', c.name], ['-h', c.name]]) {
        const r = await run(argv);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
        assert.ok(r.stdout.startsWith(`Usage: fortctl ${c.name}`), r.stdout);
        for (const flag of Object.keys(c.flags)) assert.match(r.stdout, new RegExp(`--${flag}\\b`));
      }
    }
  });

  it('takes global flags before and after the command, and command flags after it', () => {
    const p = parseCommandLine(['--json', 'logs', '--root', '/r', 'web', '-fn', '5', '--timeout=7']);
    assert.equal(p.command?.name, 'logs');
    assert.deepEqual(p.inv, { positionals: ['web'], flags: { follow: true, lines: '5' } });
    assert.deepEqual(p.globals, { root: '/r', socket: undefined, json: true, timeout: '7' });
    assert.deepEqual(parseCommandLine(['--socket', 'status', 'services']).command?.name, 'services');
    assert.deepEqual(parseCommandLine(['status', '--', '-odd-name']).inv.positionals, ['-odd-name']);
  });

  it('derives the socket from --root, then FORTROS_ROOT, then /; --socket overrides; paths made absolute', () => {
    assert.equal(normaliseGlobals({}, {}).socket, '/run/fortros/init.sock');
    assert.equal(normaliseGlobals({}, { FORTROS_ROOT: '/srv/node-a' }).socket, '/srv/node-a/run/fortros/init.sock');
    assert.equal(normaliseGlobals({ root: '/x' }, { FORTROS_ROOT: '/srv/node-a' }).socket, '/x/run/fortros/init.sock');
    assert.equal(normaliseGlobals({ root: '/x', socket: '/y.sock' }, {}).socket, '/y.sock');
    assert.equal(normaliseGlobals({ socket: 'rel.sock' }, {}).socket, `${process.cwd()}/rel.sock`);
    assert.equal(normaliseGlobals({}, {}).timeoutMs, 10_000);
    assert.equal(normaliseGlobals({ timeout: '0' }, {}).timeoutMs, 0);
  });

  it('exits 3 naming the socket it tried when there is none', async () => {
    const r = await run(['services'], { FORTROS_ROOT: '/nonexistent-root' });
    assert.equal(r.code, ExitCode.Unreachable);
    assert.match(r.stderr, /\/nonexistent-root\/run\/fortros\/init\.sock does not exist/);
  });

  const signals: [string, string][] = [['hup', 'SIGHUP'], ['SIGTERM', 'SIGTERM'], ['usr1', 'SIGUSR1'], ['9', 'SIGKILL']];
  for (const [given, sent] of signals) it(`sends signal ${given} as ${sent}`, () => assert.equal(normaliseSignal(given), sent));
  for (const refused of ['SIGRTMIN+3', 'RTMIN', '34', 'NOPE']) {
    it(`refuses signal ${refused} as init would (one rule, @fortros/core)`, () => {
      assert.throws(() => normaliseSignal(refused), /SIG: expected a signal name .*real-time signals are not supported/);
      assert.throws(() => parseSignalName(refused), SignalNameError);
    });
  }
});
