// fortctl against a real fortros-init: every init command of DESIGN §6 run as a child process with --root, its
// output (tables, --json field names), the state changes it causes and its exit codes (0 ok, 1 failed, 2 usage,
// 3 init unreachable).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupFortctlAfterEach, fortctl, jsonLines, startFortctl, type FortctlResult } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import type { TreeSpec } from '../harness/tree.js';
import { readLines, waitForLines, waitUntil } from '../harness/wait.js';

/** DESIGN §6: the JSON fields of a service, exactly. */
const SERVICE_FIELDS = ['lastExit', 'name', 'pid', 'ready', 'reason', 'restarts', 'since', 'state', 'type', 'waitingOn'];
const EVENT_FIELDS = ['at', 'from', 'pid', 'reason', 'seq', 'service', 'to'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const BASE_LINES = 20;
/** A test here runs up to ~20 fortctl commands, each a cold node start (seconds apiece on a slow CI box). */
const TEST_TIMEOUT_MS = 180_000;

interface ServiceJson {
  name: string;
  type: string;
  state: string;
  pid: number | null;
  ready: boolean;
  restarts: number;
  since: string | null;
  waitingOn: string[];
  reason: string | null;
  lastExit: { code: number; signal: string | null } | null;
}

/**
 * base (ready after printing 20 lines and a short sleep) ← app (traps USR1) ; setup (oneshot) ← app; default = {app}.
 * Not started at boot: extra; waiter, which needs hold, which never becomes ready.
 */
const TREE: TreeSpec = {
  base: {
    type: 'longrun',
    notificationFd: 3,
    run: `i=1\nwhile [ $i -le ${BASE_LINES} ]; do echo "base line $i"; i=$((i+1)); done\nsleep 0.5\necho >&3\nexec sleep 1000`,
  },
  setup: { type: 'oneshot', up: 'echo set-up >> "$FORTROS_ROOT/setup-ran"' },
  app: {
    type: 'longrun',
    dependencies: ['base', 'setup'],
    run: [
      `trap 'echo got-usr1 >> "$FORTROS_ROOT/usr1"; echo "app got USR1"; kill $s 2>/dev/null' USR1`,
      `trap 'kill $s 2>/dev/null; exit 0' TERM`,
      'echo "app up $$"',
      'while :; do sleep 1000 & s=$!; wait $s; done',
    ].join('\n'),
  },
  extra: { type: 'longrun', run: 'echo extra up\nexec sleep 1000' },
  hold: { type: 'longrun', notificationFd: 3, run: 'exec sleep 1000' },
  waiter: { type: 'longrun', dependencies: ['hold'], run: 'exec sleep 1000' },
  default: { type: 'bundle', contents: ['app'] },
};

const ok = (r: FortctlResult, what: string): FortctlResult => {
  assert.equal(r.code, 0, `${what}: exit 0 expected\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};
const json = <T>(r: FortctlResult): T => JSON.parse(r.stdout) as T;

async function bootReady(): Promise<InitProcess> {
  const init = await InitProcess.start(TREE);
  ok(await fortctl(init.root, ['wait', 'default', '--timeout', '20000']), 'wait default');
  return init;
}

async function status(init: InitProcess, name: string): Promise<ServiceJson> {
  return json<ServiceJson>(ok(await fortctl(init.root, ['status', name, '--json']), `status ${name}`));
}

/** Wait until init logs NAME entering `state`, then poll `status NAME --json` (once, as a rule) until it says so too. */
async function waitState(init: InitProcess, name: string, state: string): Promise<ServiceJson> {
  // init's own log is free to watch; each fortctl status is a cold node start
  await waitUntil(() => init.transitions(name).at(-1)?.to === state, { what: `${name} to be ${state} in init's log` });
  return waitUntil(async () => {
    const s = await status(init, name);
    return s.state === state ? s : undefined;
  }, { what: `fortctl status ${name} to say ${state}` });
}

describe('fortctl: every init command against a real fortros-init', function () {
  this.timeout(TEST_TIMEOUT_MS);
  cleanupAfterEach();
  cleanupFortctlAfterEach();

  it('services: a table sorted by name, and --json with the DESIGN §6 field names', async () => {
    const init = await bootReady();
    const table = ok(await fortctl(init.root, ['services']), 'services');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.deepEqual(header!.trim().split(/\s+/), ['NAME', 'TYPE', 'STATE', 'PID', 'SINCE', 'RESTARTS', 'REASON/WAITING-ON']);
    const byName = new Map(rows.map((r) => r.trim().split(/\s+/)).map((cols) => [cols[0]!, cols]));
    assert.deepEqual([...byName.keys()], ['app', 'base', 'default', 'extra', 'hold', 'setup', 'waiter'], 'every service, sorted by name');
    const expected: Record<string, [string, string]> = {
      app: ['longrun', 'ready'], base: ['longrun', 'ready'], default: ['bundle', 'ready'], extra: ['longrun', 'inactive'],
      hold: ['longrun', 'inactive'], setup: ['oneshot', 'ready'], waiter: ['longrun', 'inactive'],
    };
    for (const [name, [type, state]] of Object.entries(expected)) assert.deepEqual(byName.get(name)!.slice(1, 3), [type, state], name);

    const list = json<ServiceJson[]>(ok(await fortctl(init.root, ['services', '--json']), 'services --json'));
    assert.deepEqual(list.map((s) => s.name), ['app', 'base', 'default', 'extra', 'hold', 'setup', 'waiter']);
    for (const s of list) assert.deepEqual(Object.keys(s).sort(), SERVICE_FIELDS, `fields of ${s.name}`);
    const app = list.find((s) => s.name === 'app')!;
    assert.equal(app.type, 'longrun');
    assert.equal(app.state, 'ready');
    assert.equal(app.ready, true);
    assert.equal(app.restarts, 0);
    assert.ok(typeof app.pid === 'number' && isAlive(app.pid), 'app has a live pid');
    assert.match(app.since!, ISO);
    assert.deepEqual(app.waitingOn, []);
    assert.equal(app.reason, null);
    assert.equal(app.lastExit, null);
    assert.equal(byName.get('app')![3], String(app.pid), 'the table shows the same pid');
    const bundle = list.find((s) => s.name === 'default')!;
    assert.equal(bundle.type, 'bundle');
    assert.equal(bundle.pid, null);
    const extra = list.find((s) => s.name === 'extra')!;
    assert.equal(extra.state, 'inactive');
    assert.equal(extra.ready, false);
    assert.equal(extra.pid, null);
  });

  it('status NAME: key: value lines and --json; an unknown name exits 1 with NOT_FOUND', async () => {
    const init = await bootReady();
    const app = await status(init, 'app');
    assert.deepEqual(Object.keys(app).sort(), SERVICE_FIELDS);
    const text = ok(await fortctl(init.root, ['status', 'app']), 'status app').stdout;
    const fields = new Map(text.trimEnd().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    assert.equal(fields.get('name'), 'app');
    assert.equal(fields.get('type'), 'longrun');
    assert.equal(fields.get('state'), 'ready');
    assert.equal(fields.get('pid'), String(app.pid));
    assert.match(fields.get('dependencies')!, /base/);
    assert.match(fields.get('dependencies')!, /setup/);

    for (const args of [['status', 'nope'], ['status', 'nope', '--json']]) {
      const r = await fortctl(init.root, args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', 'nothing on stdout');
      assert.match(r.stderr, /nope/);
      assert.match(r.stderr, /NOT_FOUND/);
    }
    const usage = await fortctl(init.root, ['status']);
    assert.equal(usage.code, 2, `a missing NAME is a usage error: ${usage.stderr}`);
  });

  it('start, stop and restart NAME (with and without --wait) change state with closure semantics', async () => {
    const init = await bootReady();
    // start without --wait returns at once; the state follows
    ok(await fortctl(init.root, ['start', 'extra']), 'start extra');
    const extra = await waitState(init, 'extra', 'ready');
    assert.ok(isAlive(extra.pid!), 'extra runs');
    ok(await fortctl(init.root, ['stop', 'extra']), 'stop extra');
    await waitState(init, 'extra', 'inactive');
    await waitUntil(() => !isAlive(extra.pid!), { what: 'extra\'s process to end' });

    // stop base --wait: app (which needs base) goes down first; setup (unrelated) stays up
    const appBefore = await status(init, 'app');
    const stopped = json<ServiceJson>(ok(await fortctl(init.root, ['stop', 'base', '--wait', '--json']), 'stop base --wait'));
    assert.equal(stopped.name, 'base');
    assert.equal(stopped.state, 'inactive');
    assert.equal((await status(init, 'app')).state, 'inactive', 'the dependent app was stopped too');
    assert.equal((await status(init, 'setup')).state, 'ready');
    assert.ok(!isAlive(appBefore.pid!), 'app\'s old process is gone');

    // start app --wait brings base back first
    const started = json<ServiceJson>(ok(await fortctl(init.root, ['start', 'app', '--wait', '--json']), 'start app --wait'));
    assert.equal(started.state, 'ready');
    assert.equal((await status(init, 'base')).state, 'ready', 'its dependency base is up again');

    // restart: a new process
    const restarted = json<ServiceJson>(ok(await fortctl(init.root, ['restart', 'app', '--wait', '--json']), 'restart app --wait'));
    assert.equal(restarted.state, 'ready');
    assert.notEqual(restarted.pid, started.pid, 'a new pid after restart');
    assert.ok(isAlive(restarted.pid!));
    await waitUntil(() => !isAlive(started.pid!), { what: 'the old app process to end' });

    // start --wait of a service that cannot become ready in time: exit 1
    const r = await fortctl(init.root, ['start', 'hold', '--wait', '--timeout', '300']);
    assert.equal(r.code, 1, r.stderr);
    const missing = await fortctl(init.root, ['stop', 'nope']);
    assert.equal(missing.code, 1, missing.stderr);
  });

  it('signal NAME SIG delivers the signal to the service\'s process', async () => {
    const init = await bootReady();
    const before = await status(init, 'app');
    ok(await fortctl(init.root, ['signal', 'app', 'USR1']), 'signal app USR1');
    await waitForLines(init.path('usr1'), 1);
    ok(await fortctl(init.root, ['signal', 'app', 'SIGUSR1']), 'signal app SIGUSR1');
    assert.deepEqual(await waitForLines(init.path('usr1'), 2), ['got-usr1', 'got-usr1']);
    const after = await status(init, 'app');
    assert.equal(after.state, 'ready');
    assert.equal(after.pid, before.pid, 'trapped, not restarted');

    const noProcess = await fortctl(init.root, ['signal', 'extra', 'HUP']);
    assert.equal(noProcess.code, 1, `no process: ${noProcess.stderr}`);
    const unknown = await fortctl(init.root, ['signal', 'nope', 'HUP']);
    assert.equal(unknown.code, 1, unknown.stderr);
    const badSignal = await fortctl(init.root, ['signal', 'app', 'NOTASIGNAL']);
    assert.equal(badSignal.code, 2, `a bad signal is a usage error: ${badSignal.stderr}`);
    assert.deepEqual(await readLines(init.path('usr1')), ['got-usr1', 'got-usr1'], 'nothing else delivered');
  });

  it('wait NAME --state STATE --timeout MS: 0 once reached, 1 on timeout (and waitingOn names the blocker)', async () => {
    const init = await InitProcess.start(TREE);
    // straight after boot: app is not ready before base's 0.5 s
    const waited = ok(await fortctl(init.root, ['wait', 'app', '--state', 'ready', '--timeout', '20000', '--json']), 'wait app');
    assert.equal(json<ServiceJson>(waited).state, 'ready');
    ok(await fortctl(init.root, ['wait', 'extra', '--state', 'inactive', '--timeout', '5000']), 'wait for a non-default state');

    ok(await fortctl(init.root, ['start', 'waiter']), 'start waiter');
    const blocked = await waitState(init, 'waiter', 'blocked');
    assert.deepEqual(blocked.waitingOn, ['hold']);
    assert.match(blocked.reason ?? '', /hold/);
    const r = await fortctl(init.root, ['wait', 'waiter', '--state', 'ready', '--timeout', '500']);
    assert.equal(r.code, 1, `timed out wait exits 1: ${r.stderr}`);
    assert.match(r.stderr, /^fortctl: /);
    assert.equal((await status(init, 'waiter')).state, 'blocked', 'the wait changed nothing');
  });

  it('logs NAME -n N prints the last N lines; logs -f follows new lines until SIGINT (exit 0)', async () => {
    const init = await bootReady();
    const last = ok(await fortctl(init.root, ['logs', 'base', '-n', '5']), 'logs base -n 5');
    const lines = last.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.slice(l.indexOf(' ') + 1)), [16, 17, 18, 19, 20].map((i) => `base line ${i}`));
    for (const l of lines) assert.match(l.slice(0, l.indexOf(' ')), ISO, 'TIMESTAMP LINE');
    const asJson = jsonLines<{ service: string; at: string; line: string }>(ok(await fortctl(init.root, ['logs', 'base', '-n', '2', '--json']), 'logs --json').stdout.split('\n'));
    assert.deepEqual(asJson.map((j) => [j.service, j.line]), [['base', 'base line 19'], ['base', 'base line 20']]);
    for (const j of asJson) assert.match(j.at, ISO);

    const follow = startFortctl(init.root, ['logs', 'app', '-f']);
    await follow.waitForLine((l) => / app up \d+$/.test(l), { what: 'the tail of app\'s log' });
    ok(await fortctl(init.root, ['signal', 'app', 'USR1']), 'signal app USR1');
    await follow.waitForLine((l) => l.endsWith(' app got USR1'), { what: 'a new line, followed' });
    ok(await fortctl(init.root, ['signal', 'app', 'USR1']), 'signal app USR1 again');
    await waitUntil(() => follow.lines.filter((l) => l.endsWith(' app got USR1')).length === 2, { what: 'the second new line' });
    const end = await follow.interrupt('SIGINT');
    assert.equal(end.code, 0, `SIGINT ends logs -f with 0: ${end.stderr}`);
  });

  it('events --json: one object per line with the §6 fields; a state change appears; SIGINT exits 0', async () => {
    const init = await bootReady();
    const events = startFortctl(init.root, ['events', '--json', '--current']);
    // --current first sends every service's state: once extra's arrives the subscription is live
    await events.waitForLine((l) => l.includes('"service":"extra"'), { what: 'the current state of extra' });
    ok(await fortctl(init.root, ['start', 'extra', '--wait']), 'start extra');
    await events.waitForLine((l) => l.includes('"service":"extra"') && l.includes('"to":"ready"'), { what: 'extra → ready' });
    const end = await events.interrupt('SIGINT');
    assert.equal(end.code, 0, `SIGINT ends events with 0: ${end.stderr}`);

    const all = jsonLines<Record<string, unknown>>(events.lines);
    for (const e of all) assert.deepEqual(Object.keys(e).sort(), EVENT_FIELDS, JSON.stringify(e));
    const mine = all.filter((e) => e.service === 'extra');
    const ready = mine.find((e) => e.to === 'ready')!;
    assert.equal(typeof ready.seq, 'number');
    assert.match(String(ready.at), ISO);
    assert.ok(typeof ready.pid === 'number' && ready.pid > 0, 'the ready event names the pid');
    assert.equal(mine[0]!.to, 'inactive', 'the current state came first');
    assert.ok(mine.some((e) => e.from === 'inactive' && e.to !== 'inactive'), 'extra left inactive');

    // a filtered, text stream sees only its service
    const filtered = startFortctl(init.root, ['events', '--current', 'extra']);
    await filtered.waitForLine((l) => l.includes(' extra '), { what: 'the current state of extra (text)' });
    ok(await fortctl(init.root, ['stop', 'extra', '--wait']), 'stop extra');
    await filtered.waitForLine((l) => / extra stopping -> inactive/.test(l), { what: 'extra → inactive (text)' });
    assert.equal((await filtered.interrupt('SIGINT')).code, 0);
    assert.ok(filtered.lines.every((l) => l.includes(' extra ')), filtered.lines.join('\n'));
  });

  it('graph prints DOT with every node, solid dependency edges and a dashed bundle edge; --json names the kinds', async () => {
    const init = await bootReady();
    const dot = ok(await fortctl(init.root, ['graph']), 'graph').stdout;
    assert.match(dot, /^digraph\b/);
    assert.match(dot.trimEnd(), /\}$/);
    for (const n of ['app', 'base', 'setup', 'extra', 'hold', 'waiter', 'default']) assert.match(dot, new RegExp(`^\\s*"${n}" \\[`, 'm'), `node ${n}`);
    const edge = (from: string, to: string): string | undefined => dot.split('\n').find((l) => l.trim().startsWith(`"${from}" -> "${to}"`));
    for (const [from, to] of [['app', 'base'], ['app', 'setup'], ['waiter', 'hold']]) {
      assert.ok(edge(from, to), `dependency edge ${from} -> ${to}`);
      assert.doesNotMatch(edge(from, to)!, /dashed/, `${from} -> ${to} is solid`);
    }
    assert.match(edge('default', 'app') ?? '', /style=dashed/, 'the bundle edge default -> app is dashed');
    // nodes are filled by state: a ready and an inactive service differ
    const fill = (n: string): string => /fillcolor="([^"]+)"/.exec(dot.split('\n').find((l) => l.trim().startsWith(`"${n}" [`))!)![1]!;
    assert.notEqual(fill('app'), fill('extra'), 'ready and inactive are coloured differently');

    const g = json<{ nodes: { name: string; type: string; state: string }[]; edges: { from: string; to: string; kind: string }[] }>(
      ok(await fortctl(init.root, ['graph', '--json']), 'graph --json'),
    );
    assert.deepEqual(g.nodes.find((n) => n.name === 'setup'), { name: 'setup', type: 'oneshot', state: 'ready' });
    assert.ok(g.edges.some((e) => e.from === 'app' && e.to === 'base' && e.kind === 'dependency'));
    assert.ok(g.edges.some((e) => e.from === 'default' && e.to === 'app' && e.kind === 'contents'));
  });

  it('blame lists services by time to ready, slowest first, without bundles', async () => {
    const init = await bootReady();
    const out = ok(await fortctl(init.root, ['blame']), 'blame').stdout.trimEnd().split('\n');
    assert.match(out[0]!, /boot/i, 'the boot time comes first');
    const rows = out.slice(1).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
    const names = rows.map((r) => r[1]);
    for (const n of ['base', 'app', 'setup']) assert.ok(names.includes(n), `${n} listed:\n${out.join('\n')}`);
    assert.ok(!names.includes('default'), 'bundles are left out');
    assert.equal(names[0], 'base', 'base (0.5 s to ready) is the slowest');

    const t = json<{ bootMs: number; entries: { name: string; durationMs: number | null; dependencies: string[] }[] }>(ok(await fortctl(init.root, ['blame', '--json']), 'blame --json'));
    const base = t.entries.find((e) => e.name === 'base')!;
    assert.ok(base.durationMs! >= 450, `base took its 0.5 s sleep to get ready, got ${base.durationMs} ms`);
    assert.deepEqual([...t.entries.find((e) => e.name === 'app')!.dependencies].sort(), ['base', 'setup']);
    assert.ok(t.bootMs >= base.durationMs!, 'the boot lasts at least as long as its slowest service');
  });

  it('plot -o FILE writes a standalone SVG timeline naming every spawned service', async () => {
    const init = await bootReady();
    const file = init.path('boot.svg');
    const r = ok(await fortctl(init.root, ['plot', '-o', file]), 'plot -o');
    assert.equal(r.stdout.includes('<svg'), false, 'with -o nothing SVG goes to stdout');
    const svg = await readFile(file, 'utf8');
    assert.match(svg, /^<\?xml[^>]*\?>\s*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg.trimEnd(), /<\/svg>$/);
    for (const n of ['base', 'setup', 'app']) assert.match(svg, new RegExp(`>${n}<`), `a row for ${n}`);
    assert.ok(!/>extra</.test(svg), 'never-spawned services have no row');
    assert.match(svg, /<rect /);
    const toStdout = ok(await fortctl(init.root, ['plot']), 'plot to stdout').stdout;
    assert.match(toStdout, /<svg /);
  });

  for (const [command, mode] of [['shutdown', 'halt'], ['reboot', 'reboot'], ['poweroff', 'poweroff']] as const) {
    it(`${command}: init stops every service and exits 0; its log records mode ${mode}`, async () => {
      const init = await bootReady();
      ok(await fortctl(init.root, ['start', 'extra', '--wait']), 'start extra');
      const pids = json<ServiceJson[]>(ok(await fortctl(init.root, ['services', '--json']), 'services')).flatMap((s) => (s.pid ? [s.pid] : []));
      assert.equal(pids.length, 3, 'base, app and extra run');
      // --current: the stream's first lines prove it is connected before the power command goes out
      const events = startFortctl(init.root, ['events', '--current']);
      await waitUntil(() => events.lines.length >= 3, { what: 'the events stream connected', timeoutMs: 30_000 });

      const r = ok(await fortctl(init.root, [command, '--json']), command);
      assert.deepEqual(json(r), { mode });
      assert.deepEqual(await init.waitForExit({ timeoutMs: 30_000 }), { code: 0, signal: null });
      for (const p of pids) assert.ok(!isAlive(p), `pid ${p} gone`);
      for (const s of ['app', 'base', 'extra']) assert.equal(init.transitions(s).at(-1)?.to, 'inactive', `${s} ended inactive`);
      assert.equal(init.records.find((x) => x.msg === 'shutdown requested')?.mode, mode);
      assert.equal(init.records.find((x) => x.msg === 'shutdown complete')?.mode, mode);

      // init stopping cuts the event stream short: fortctl says init went away and exits 3 (unreachable), rather than
      // 0 as if the stream had simply finished; then init is unreachable
      const ended = await events.done();
      assert.equal(ended.code, 3, `events exits 3 when init stops under it: ${JSON.stringify(ended)}`);
      assert.match(ended.stderr, /^fortctl: events: fortros-init at \S+ went away: fortros\.init\.v1\.Init is stopping$/m, ended.stderr);
      const after = await fortctl(init.root, ['services']);
      assert.equal(after.code, 3, after.stderr);
    });
  }

  it('text output of a power command says what init does', async () => {
    const init = await bootReady();
    const r = ok(await fortctl(init.root, ['poweroff']), 'poweroff');
    assert.match(r.stdout, /poweroff/);
    assert.equal((await init.waitForExit({ timeoutMs: 30_000 })).code, 0);
  });

  it('init itself: SIGINT shuts down to reboot and SIGTERM to poweroff', async () => {
    for (const [sig, mode] of [['SIGINT', 'reboot'], ['SIGTERM', 'poweroff']] as const) {
      const init = await bootReady();
      init.signal(sig);
      assert.equal((await init.waitForExit({ timeoutMs: 30_000 })).code, 0);
      assert.equal(init.records.find((x) => x.msg === 'shutdown complete')?.mode, mode, sig);
      await init.cleanup();
    }
  });

  it('an unreachable init exits 3 and names the socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fortros-ctl-test-'));
    try {
      for (const args of [['services'], ['status', 'x'], ['logs', 'x'], ['poweroff']]) {
        const r = await fortctl(dir, args);
        assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
        assert.ok(r.stderr.includes(join(dir, 'run/fortros/init.sock')), r.stderr);
        assert.equal(r.stdout, '');
      }
      const notASocket = join(dir, 'plain-file');
      await writeFile(notASocket, '');
      const r = await fortctl(dir, ['--socket', notASocket, 'services']);
      assert.equal(r.code, 3, r.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--help works for every command; a usage error exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fortros-ctl-test-'));
    try {
      const commands = ['services', 'status', 'start', 'stop', 'restart', 'signal', 'wait', 'logs', 'events', 'graph', 'blame', 'plot', 'shutdown', 'reboot', 'poweroff'];
      const results = await Promise.all(commands.map((c) => fortctl(dir, [c, '--help'])));
      results.forEach((r, i) => {
        assert.equal(r.code, 0, `${commands[i]} --help: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(commands[i]!), `${commands[i]} --help names the command`);
      });
      for (const args of [['frobnicate'], ['services', '--bogus'], ['logs', 'x', '-n', 'zero']]) {
        const r = await fortctl(dir, args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
