// fortctl for people, without a daemon: suggestions, colour, the default root, a hopeless wait, merged logs, stdin,
// completion, --version, and that a call which needs no daemon loads no gRPC.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import type { InitV1 } from '@fortros/proto';
import { defaultRoot } from '../src/cli/global-options.js';
import { readBounded } from '../src/cli/read-stdin.js';
import { runCli } from '../src/cli/run-cli.js';
import type { Output } from '../src/commands/command.js';
import { mergeTails } from '../src/commands/merged-logs.js';
import { hopelessWait } from '../src/commands/wait.js';
import { unreachableReason } from '../src/commands/unreachable.js';
import { paintState, wantsColour } from '../src/render/colour.js';
import { renderServicesTable } from '../src/render/service-text.js';
import { closest, editDistance } from '../src/render/suggest.js';
import { UsageError } from '../src/errors.js';
import { buildFortctl, CTL_DIR } from './run-fortctl.js';
import { service } from './wire-builders.js';

function capture(): Output & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', line: (t: string) => void (o.stdout += `${t}\n`), write: (t: string) => void (o.stdout += t), error: (t: string) => void (o.stderr += `${t}\n`) };
  return o;
}

async function run(argv: string[]) {
  const out = capture();
  const code = await runCli(argv, { env: {}, out, signal: new AbortController().signal });
  return { code, stdout: out.stdout, stderr: out.stderr };
}

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const logLine = (service: string, ms: number, line: string): InitV1.LogLine__Output => ({ service, at: at(ms), line });

describe('fortctl for people (no daemon)', () => {
  it('did you mean: close words and unique prefixes, nothing for far ones', () => {
    const names = ['services', 'status', 'start', 'stop', 'restart', 'signal', 'wait', 'logs'];
    assert.equal(editDistance('stauts', 'status'), 1, 'a swap costs one edit');
    const table: [string, string | undefined][] = [
      ['stauts', 'status'],
      ['servcies', 'services'],
      ['lgos', 'logs'],
      ['restar', 'restart'],
      ['sig', 'signal'],
      ['frobnicate', undefined],
      ['s', undefined],
    ];
    for (const [word, want] of table) assert.equal(closest(word, names), want, word);
  });

  it('an unknown command is suggested its closest name (exit 2)', async () => {
    const r = await run(['stauts', 'web']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "stauts"; did you mean "status"\?/);
    assert.match((await run(['help', 'servics'])).stderr, /did you mean "services"\?/);
  });

  it('--version prints the version of apps/ctl/package.json, and loads no daemon', async () => {
    const pkg = JSON.parse(readFileSync(join(CTL_DIR, 'package.json'), 'utf8')) as { version: string };
    const r = await run(['--version', '--root', '/nonexistent']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `fortctl ${pkg.version}\n`, '']);
  });

  it('colour: a terminal without NO_COLOR or TERM=dumb; the STATE cell painted after padding', () => {
    assert.equal(wantsColour(true, {}), true);
    assert.equal(wantsColour(false, {}), false);
    assert.equal(wantsColour(true, { NO_COLOR: '1' }), false);
    assert.equal(wantsColour(true, { TERM: 'dumb' }), false);
    const now = new Date('2026-01-01T00:00:10Z');
    const services = [service({ name: 'web', state: 'SERVICE_STATE_READY' }), service({ name: 'db', state: 'SERVICE_STATE_FAILED', reason: 'exit 1' })];
    const plain = renderServicesTable(services, now);
    const painted = renderServicesTable(services, now, true);
    // eslint-disable-next-line no-control-regex
    assert.deepEqual(painted.map((l) => l.replace(/\u001b\[[\d;]*m/g, '')), plain, 'same text once the escapes are removed');
    assert.ok(painted[0] === plain[0], 'the header is never painted');
    assert.ok(painted.some((l) => l.includes(paintState('ready', 'ready'.padEnd(6)))), painted.join('\n'));
    assert.ok(!plain.join('').includes('\u001b'), 'no escape without colour');
  });

  it('the default root: ./.fortros/node when its init.sock exists there (after npm start), else /', () => {
    const dev = resolve('.fortros/node');
    assert.equal(defaultRoot((p) => p === join(dev, 'run/fortros/init.sock')), dev);
    assert.equal(defaultRoot(() => false), '/');
  });

  it('a wait nothing will satisfy: an inactive service that is not wanted; anything else waits', () => {
    const s = (state: string, wanted: boolean) => ({ name: 'web', state, wanted }) as Pick<InitV1.Service__Output, 'name' | 'state' | 'wanted'>;
    assert.match(hopelessWait(s('SERVICE_STATE_INACTIVE', false), 'ready') ?? '', /web is inactive and nothing is starting it \(fortctl start web\)/);
    assert.equal(hopelessWait(s('SERVICE_STATE_INACTIVE', false), 'inactive'), undefined);
    assert.equal(hopelessWait(s('SERVICE_STATE_INACTIVE', true), 'ready'), undefined, 'wanted: a start is under way');
    assert.equal(hopelessWait(s('SERVICE_STATE_STARTING', true), 'ready'), undefined);
    assert.equal(hopelessWait(s('SERVICE_STATE_READY', true), 'inactive'), undefined, 'someone may stop it');
  });

  it('merged logs: oldest first over all services, one service in its own order on equal times, the last N kept', () => {
    const a = [logLine('a', 1000, 'a1'), logLine('a', 3000, 'a2'), logLine('a', 3000, 'a3')];
    const b = [logLine('b', 2000, 'b1'), logLine('b', 4000, 'b2')];
    assert.deepEqual(mergeTails([a, b], 10).map((l) => l.line), ['a1', 'b1', 'a2', 'a3', 'b2']);
    assert.deepEqual(mergeTails([a, b], 2).map((l) => l.line), ['a3', 'b2']);
    assert.deepEqual(mergeTails([a, b], 0), []);
  });

  it('standard input is read whole up to a bound, then refused naming the limit', async () => {
    assert.equal(await readBounded(Readable.from([Buffer.from('{"id":'), Buffer.from('"x"}')]), 100, 'workload put: -'), '{"id":"x"}');
    await assert.rejects(readBounded(Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), 100, 'workload put: -'), (err: unknown) => err instanceof UsageError && /at most 100/.test(err.message));
    await assert.rejects(readBounded(undefined, 100, 'workload put: -'), UsageError);
  });

  it('an unreachable daemon in words: the socket and the cause, never grpc-js text', () => {
    const sock = '/r/run/fortros/init.sock';
    const cases: [string, RegExp][] = [
      ['No connection established. Last error: connect ECONNREFUSED /r/run/fortros/init.sock', /nothing is listening on \/r\/run\/fortros\/init.sock: fortros-init is not running/],
      ['No connection established. Last error: connect EACCES /r/run/fortros/init.sock', /permission denied on \/r\/run\/fortros\/init.sock/],
      ['ENOENT', /does not exist: fortros-init is not running/],
      ['Connection dropped', /fortros-init at \/r\/run\/fortros\/init.sock stopped answering/],
    ];
    for (const [detail, want] of cases) {
      const text = unreachableReason('fortros-init', sock, detail);
      assert.match(text, want);
      assert.doesNotMatch(text, /Last error|No connection established|Connection dropped/);
    }
  });

  it('completion bash is valid bash naming every command; --help, --version and completion load no gRPC', async function () {
    this.timeout(120_000);
    await buildFortctl();
    const script = (await run(['completion', 'bash'])).stdout;
    assert.match(script, /complete -F _fortctl fortctl/);
    for (const c of ['services', 'status', 'logs', 'workload', 'completion']) assert.match(script, new RegExp(`\\b${c}\\)`), c);
    await promisify(execFile)('bash', ['-n', '-c', script]);
    // The built CLI run in a child, then asked which CommonJS modules it loaded: grpc-js and proto-loader are not among them.
    const runCliUrl = pathToFileURL(join(CTL_DIR, 'dist/cli/run-cli.js')).href;
    const probe = [
      `import { createRequire } from 'node:module';`,
      `const { runCli } = await import(${JSON.stringify(runCliUrl)});`,
      `const out = { line() {}, write() {}, error() {} };`,
      `for (const argv of [['--help'], ['--version'], ['completion', 'bash'], ['stauts']]) await runCli(argv, { env: {}, out, signal: new AbortController().signal });`,
      `const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /@grpc|protobufjs/.test(p));`,
      `process.stdout.write(JSON.stringify(loaded));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], { cwd: CTL_DIR });
    assert.deepEqual(JSON.parse(stdout), []);
  });
});
