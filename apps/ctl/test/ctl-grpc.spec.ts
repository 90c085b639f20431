// The built fortctl as a child process against a real gRPC server for init.proto: output and exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RpcServer } from '@fortros/rpc';
import { STATE_NAMES } from '@fortros/views';
import { fixtureInitServer, type FixtureState } from './fixture-init-server.js';
import { buildFortctl, fortctl, startFortctl, until, type RunResult } from './run-fortctl.js';
import { parseXml } from './xml-check.js';

const SERVICE_KEYS = ['name', 'type', 'state', 'pid', 'ready', 'restarts', 'since', 'waitingOn', 'reason', 'lastExit'];

function jsonLines(r: RunResult): Record<string, unknown>[] {
  return r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectExit(r: RunResult, code: number): void {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe('fortctl against a gRPC init (fixture-init-server)', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let sock: string;
  let server: RpcServer;
  let state: FixtureState;

  before(async () => {
    await buildFortctl();
    dir = await mkdtemp(join(tmpdir(), 'fortctl-'));
    root = join(dir, 'node');
    sock = join(root, 'run', 'fortros', 'init.sock');
    ({ server, state } = fixtureInitServer(sock));
    await server.start();
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('services --json: one array of service objects with the stable field names; every state named lowercase', async () => {
    const r = await fortctl(['--socket', sock, 'services', '--json']);
    expectExit(r, 0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(list.length, state.services.size);
    for (const s of list) assert.deepEqual(Object.keys(s), SERVICE_KEYS);
    assert.deepEqual(new Set(list.map((s) => s['state'])), new Set(STATE_NAMES));
    const key = list.find((s) => s['name'] === 'key-service')!;
    assert.deepEqual(key['lastExit'], { code: 1, signal: null });
    assert.equal(key['restarts'], 3);
    assert.deepEqual(list.find((s) => s['name'] === 'reconciler')!['waitingOn'], ['key-service']);
    assert.equal(list.find((s) => s['name'] === 'default')!['type'], 'bundle');
  });

  it('finds the socket under --root, and under FORTROS_ROOT', async () => {
    const viaFlag = await fortctl(['--root', root, 'services']);
    expectExit(viaFlag, 0);
    assert.match(viaFlag.stdout, /^NAME +TYPE +STATE +PID +SINCE +RESTARTS +REASON\/WAITING-ON\n/);
    assert.match(viaFlag.stdout, /^reconciler +longrun +blocked +- +\S+ +0 +waiting on key-service$/m);
    expectExit(await fortctl(['services'], { FORTROS_ROOT: root }), 0);
  });

  it('status NAME prints the service; NOT_FOUND exits 1 naming it', async () => {
    const r = await fortctl(['status', 'crashy', '--socket', sock]);
    expectExit(r, 0);
    assert.match(r.stdout, /^state: +failed$/m);
    assert.match(r.stdout, /^reason: +finish said 125$/m);
    assert.match(r.stdout, /^lastExit: +signal SIGSEGV$/m);
    const json = await fortctl(['--json', '--socket', sock, 'status', 'maintainer']);
    expectExit(json, 0);
    assert.equal((JSON.parse(json.stdout) as { pid: number }).pid, 101);
    const missing = await fortctl(['--socket', sock, 'status', 'nope']);
    expectExit(missing, 1);
    assert.match(missing.stderr, /no service named "nope"/);
    assert.match(missing.stderr, /NOT_FOUND/);
    assert.equal(missing.stdout, '');
  });

  it('start/stop/restart send the name and --wait with the timeout; a waited start that ends failed exits 1', async () => {
    const r = await fortctl(['--socket', sock, '--timeout', '3000', 'start', 'web', '--wait', '--json']);
    expectExit(r, 0);
    assert.equal((JSON.parse(r.stdout) as { state: string }).state, 'ready');
    assert.deepEqual(state.calls.findLast((c) => c.method === 'StartService')!.request, { name: 'web', wait: true, timeoutMs: 3000 });
    expectExit(await fortctl(['--socket', sock, 'stop', 'old']), 0);
    assert.equal(state.services.get('old')!.state, 'SERVICE_STATE_INACTIVE');
    expectExit(await fortctl(['--socket', sock, 'restart', 'web']), 0);
    const crashy = await fortctl(['--socket', sock, 'start', 'crashy', '--wait']);
    expectExit(crashy, 1);
    assert.match(crashy.stderr, /crashy: ended failed, not ready: finish said 125/);
  });

  it('signal normalises the name; FAILED_PRECONDITION (no process) exits 1; a bad signal is a usage error', async () => {
    expectExit(await fortctl(['--socket', sock, 'signal', 'maintainer', 'hup']), 0);
    assert.equal(state.calls.findLast((c) => c.method === 'SignalService')!.request['signal'], 'SIGHUP');
    const none = await fortctl(['--socket', sock, 'signal', 'idle', 'TERM']);
    expectExit(none, 1);
    assert.match(none.stderr, /idle has no process/);
    expectExit(await fortctl(['--socket', sock, 'signal', 'maintainer', 'SIGNOPE']), 2);
  });

  it('wait: ok when reached; exit 1 on timeout and when the service failed instead', async () => {
    expectExit(await fortctl(['--socket', sock, 'wait', 'maintainer']), 0);
    const timedOut = await fortctl(['--socket', sock, 'wait', 'reconciler', '--timeout', '200']);
    expectExit(timedOut, 1);
    assert.match(timedOut.stderr, /not ready after 200ms \(timed out\)/);
    const failed = await fortctl(['--socket', sock, 'wait', 'crashy', '--state', 'ready']);
    expectExit(failed, 1);
    assert.match(failed.stderr, /will not become ready: crashy failed/);
    expectExit(await fortctl(['--socket', sock, 'wait', 'web', '--state', 'running']), 2);
  });

  it('events --json: one object per line, current state first, filtered by name', async () => {
    const r = await fortctl(['--socket', sock, '--json', 'events', '--current', 'maintainer']);
    expectExit(r, 0);
    const events = jsonLines(r);
    assert.deepEqual(events.map((e) => `${e['from']}->${e['to']}`), ['ready->ready', 'blocked->starting', 'starting->ready']);
    for (const e of events) assert.deepEqual(Object.keys(e), ['seq', 'at', 'service', 'from', 'to', 'reason', 'pid']);
    const human = await fortctl(['--socket', sock, 'events']);
    assert.match(human.stdout, /^2025-01-01T00:00:00.030Z key-service starting -> backoff exited 1$/m);
  });

  it('logs --json: one {service, at, line} object per line; -n asks for that many', async () => {
    const r = await fortctl(['--socket', sock, 'logs', 'maintainer', '-n', '2', '--json']);
    expectExit(r, 0);
    assert.deepEqual(jsonLines(r), [
      { service: 'maintainer', at: '2025-01-01T00:00:00.200Z', line: 'joined <org> & synced' },
      { service: 'maintainer', at: '2025-01-01T00:00:00.300Z', line: 'api bound' },
    ]);
    const text = await fortctl(['--socket', sock, 'logs', 'maintainer']);
    assert.equal(text.stdout, '2025-01-01T00:00:00.100Z starting\n2025-01-01T00:00:00.200Z joined <org> & synced\n2025-01-01T00:00:00.300Z api bound\n');
    expectExit(await fortctl(['--socket', sock, 'logs', 'nope']), 1);
  });

  it('logs -f follows until SIGINT, then cancels the stream and exits 0', async () => {
    const cancelledBefore = state.cancelled.filter((m) => m === 'ReadLogs').length;
    const run = startFortctl(['--socket', sock, 'logs', '-f', 'maintainer', '--json']);
    await until(() => run.stdout().split('\n').length > 3, 'three log lines');
    run.child.kill('SIGINT');
    const r = await run.done;
    expectExit(r, 0);
    assert.equal(jsonLines(r).length, 3);
    assert.equal(r.stderr, '');
    await until(() => state.cancelled.filter((m) => m === 'ReadLogs').length > cancelledBefore, 'the server to see the cancel');
  });

  it('graph prints DOT; blame and plot read the timeline', async () => {
    const dot = await fortctl(['--socket', sock, 'graph']);
    expectExit(dot, 0);
    assert.match(dot.stdout, /^digraph fortros \{/);
    assert.match(dot.stdout, /"default" -> "maintainer" \[style=dashed/);
    const blame = await fortctl(['--socket', sock, 'blame']);
    expectExit(blame, 0);
    assert.deepEqual(blame.stdout.trimEnd().split('\n').slice(1).map((l) => l.trim()), ['860ms maintainer', '35ms persist-mount', '- key-service (backoff, never ready)', '- reconciler (blocked, never started)']);
    const svg = await fortctl(['--socket', sock, 'plot']);
    expectExit(svg, 0);
    assert.equal(parseXml(svg.stdout).filter((e) => e.attrs['class']?.startsWith('bar ')).length, 3);
    const file = join(dir, 'boot.svg');
    expectExit(await fortctl(['--socket', sock, 'plot', '-o', file]), 0);
    parseXml(await readFile(file, 'utf8'));
  });

  it('shutdown, reboot and poweroff ask init for halt, reboot and poweroff', async () => {
    for (const cmd of ['shutdown', 'reboot', 'poweroff']) expectExit(await fortctl(['--socket', sock, cmd]), 0);
    assert.deepEqual(state.calls.filter((c) => c.method === 'Shutdown').map((c) => c.request['mode']), ['SHUTDOWN_MODE_HALT', 'SHUTDOWN_MODE_REBOOT', 'SHUTDOWN_MODE_POWEROFF']);
  });

  it('reload asks init to rescan and prints what changed', async () => {
    const r = await fortctl(['--socket', sock, 'reload']);
    expectExit(r, 0);
    assert.equal(r.stdout, 'added: new\nremoved: -\nchanged: web\nfailed: bad\n');
    const j = await fortctl(['--socket', sock, '--json', 'reload']);
    assert.deepEqual(JSON.parse(j.stdout), { added: ['new'], removed: [], changed: ['web'], failed: ['bad'], cannotBoot: '' });
    assert.equal(state.calls.filter((c) => c.method === 'Reload').length, 2);
  });

  it('exits 3 naming the socket when init is unreachable: no socket, not a socket, nobody listening', async () => {
    const missing = join(dir, 'nowhere', 'init.sock');
    const r = await fortctl(['--socket', missing, 'services']);
    expectExit(r, 3);
    assert.ok(r.stderr.includes(missing), r.stderr);
    const plain = join(dir, 'plain-file');
    await writeFile(plain, '');
    const p = await fortctl(['--socket', plain, 'status', 'web']);
    expectExit(p, 3);
    assert.match(p.stderr, /is not a socket/);
    // A socket file left behind by a dead server: it exists and refuses connections.
    const stale = join(dir, 'stale.sock');
    const script = "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))";
    await new Promise((resolve) => execFile(process.execPath, ['-e', script, stale], resolve));
    assert.ok((await lstat(stale)).isSocket());
    const refused = await fortctl(['--socket', stale, 'services']);
    expectExit(refused, 3);
    assert.ok(refused.stderr.includes(`nothing is listening on ${stale}: fortros-init is not running`), refused.stderr);
    assert.doesNotMatch(refused.stderr, /No connection established|Last error|ECONNREFUSED/, 'no raw grpc-js text');
  });

  it('exits 2 on an unknown flag or command, printing usage to stderr; --help exits 0', async () => {
    const flag = await fortctl(['--socket', sock, 'services', '--bogus']);
    expectExit(flag, 2);
    assert.match(flag.stderr, /unknown flag --bogus/);
    assert.match(flag.stderr, /Usage: fortctl services/);
    expectExit(await fortctl(['frobnicate']), 2);
    const help = await fortctl(['--help']);
    expectExit(help, 0);
    assert.match(help.stdout, /Usage: fortctl/);
    const sub = await fortctl(['status', '--help']);
    expectExit(sub, 0);
    assert.match(sub.stdout, /Usage: fortctl status NAME/);
  });
});
