// Health checks against a real fortros-init (issue 9, item 3): an exec check in the service's environment, a TCP
// check of a port the service opens and then closes, an HTTP check answered 503; each fails `health-retries`
// times in a row and the service is restarted, with the reason in `fortctl status --json`, its text form and the
// event stream. A passing check never restarts; an invalid health file fails only its service, naming the path.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cleanupFortctlAfterEach, fortctl, startFortctl, type FortctlResult } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import type { ServiceSpec, TreeSpec } from '../harness/tree.js';
import { waitUntil } from '../harness/wait.js';

/** Each test starts init, waits for a restart or a few checks, and runs a few fortctl commands (cold node starts). */
const TEST_TIMEOUT_MS = 120_000;
const WAIT = { timeoutMs: 60_000 };
/** Checks every 200 ms; two failures in a row restart. */
const FAST_CHECKS = { 'health-interval': '200\n', 'health-timeout': '2000\n', 'health-retries': '2\n' };

interface HealthJson {
  check: string;
  status: string;
  consecutiveFailures: number;
  retries: number;
  lastResult: { ok: boolean; message: string; at: string | null } | null;
  restarts: number;
  lastRestartReason: string | null;
}
interface ServiceJson {
  name: string;
  state: string;
  pid: number | null;
  reason: string | null;
  health?: HealthJson;
}

const ok = (r: FortctlResult, what: string): FortctlResult => {
  assert.equal(r.code, 0, `${what}: exit 0 expected\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};
const status = async (init: InitProcess, name: string): Promise<ServiceJson> =>
  JSON.parse(ok(await fortctl(init.root, ['status', name, '--json']), `status ${name}`).stdout) as ServiceJson;

/** A loopback port free right now (the service binds it a moment later). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** `python3 -c` programs of the services: FLAG set by the test makes them misbehave; `run` removes it at start. */
const TCP_SERVER = `
import os, socket, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(os.environ["PORT"]))); s.listen(64)
def serve():
    while True:
        try: s.accept()[0].close()
        except OSError: return
threading.Thread(target=serve, daemon=True).start()
while not os.path.exists(os.environ["FLAG"]): time.sleep(0.05)
s.shutdown(socket.SHUT_RDWR); s.close()
while True: time.sleep(1000)
`;
const HTTP_SERVER = `
import os, http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(503 if os.path.exists(os.environ["FLAG"]) else 200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
`;
const python = (program: string): string => `rm -f "$FLAG"\nexec python3 -c '${program}'`;

/** python3 takes a while to start on a loaded machine: its first check waits out a start period. */
const PYTHON_START_PERIOD = { 'health-start-period': '5000\n' };

function service(run: string, check: string, env: Record<string, string>, extra: Record<string, string> = {}): ServiceSpec {
  return { type: 'longrun', run, env, files: { 'health-check': `${check}\n`, ...FAST_CHECKS, ...extra } };
}

/**
 * Boot `tree` (its `default` bundle), wait for `name` to be ready, make it unhealthy with `breakIt`, and wait for
 * the restart. Returns init and the service's status after it is ready again.
 */
async function restartedByHealth(tree: TreeSpec, name: string, breakIt: (init: InitProcess) => Promise<void>, reason: RegExp): Promise<{ init: InitProcess; s: ServiceJson }> {
  const init = await InitProcess.start(tree);
  const ready = await init.waitForState(name, 'ready', WAIT);
  await waitUntil(async () => (await status(init, name)).health?.status === 'healthy' || undefined, { what: `${name} healthy`, ...WAIT });
  const from = init.records.length;
  await breakIt(init);
  await init.waitForState(name, 'stopping', { afterIndex: from, reason, ...WAIT });
  const again = await init.waitForState(name, 'ready', { afterIndex: from, ...WAIT });
  assert.notEqual(again.pid, ready.pid, 'a new run');
  const s = await status(init, name);
  assert.equal(s.health?.restarts, 1, JSON.stringify(s));
  assert.match(String(s.health?.lastRestartReason), reason);
  return { init, s };
}

describe('init: health checks (health-check, health-interval, health-timeout, health-retries)', function () {
  this.timeout(TEST_TIMEOUT_MS);
  cleanupAfterEach();
  cleanupFortctlAfterEach();
  /** Files a test made under /tmp (markers, flags, counters), removed after it. */
  const temp: string[] = [];
  const tempFile = (name: string): string => {
    const path = `/tmp/hc-${process.pid}-${name}`;
    temp.push(path);
    return path;
  };
  afterEach(async () => {
    for (const f of temp.splice(0)) await rm(f, { force: true });
  });

  it('an exec check runs in the service environment; failing twice restarts it, the reason in status and events', async () => {
    const marker = tempFile('exec-marker');
    const tree: TreeSpec = {
      web: service(`touch "$MARKER"\nexec sleep 1000`, 'test -f "$MARKER" || { echo "no $MARKER"; exit 3; }', { MARKER: marker }),
      default: { type: 'bundle', contents: ['web'] },
    };
    const reason = new RegExp(`^health check failed 2 times: exec test -f "\\$MARKER" .*: exited with code 3: no ${marker}$`);
    let events: ReturnType<typeof startFortctl> | undefined;
    const { init, s } = await restartedByHealth(tree, 'web', async (init) => {
      events = startFortctl(init.root, ['events', '--current', '--json', 'web']);
      await events.waitForLine((l) => l.includes('"web"'), { what: 'the event stream subscribed (its current-state line)', ...WAIT });
      await rm(marker);
    }, reason);
    assert.equal(s.state, 'ready');
    assert.equal(s.health?.check, 'exec test -f "$MARKER" || { echo "no $MARKER"; exit 3; }');
    assert.equal(s.health?.retries, 2);
    await events!.waitForLine((l) => reason.test(String((JSON.parse(l) as { reason?: string }).reason ?? '')), { what: 'the reason on the event stream', ...WAIT });
    const text = ok(await fortctl(init.root, ['status', 'web']), 'status web').stdout;
    assert.match(text, /^health: +(healthy|starting|failing) \(exec test -f/m);
    assert.match(text, /^health\.lastRestartReason: +health check failed 2 times: /m);
  });

  it('a TCP check of a port the service closes restarts it: "connection refused"', async () => {
    const port = await freePort();
    const flag = tempFile('tcp-flag');
    const tree: TreeSpec = { db: service(python(TCP_SERVER), `tcp 127.0.0.1:${port}`, { PORT: String(port), FLAG: flag }, PYTHON_START_PERIOD), default: { type: 'bundle', contents: ['db'] } };
    const { s } = await restartedByHealth(tree, 'db', () => writeFile(flag, ''), new RegExp(`^health check failed 2 times: tcp 127\\.0\\.0\\.1:${port}: connection refused$`));
    assert.equal(s.health?.check, `tcp 127.0.0.1:${port}`);
    await assert.rejects(readFile(flag), { code: 'ENOENT' }, 'the new run started afresh');
  });

  it('an HTTP check answered 503 restarts the service: "status 503"', async () => {
    const port = await freePort();
    const flag = tempFile('http-flag');
    const url = `http://127.0.0.1:${port}/health`;
    const tree: TreeSpec = { api: service(python(HTTP_SERVER), `http ${url}`, { PORT: String(port), FLAG: flag }, PYTHON_START_PERIOD), default: { type: 'bundle', contents: ['api'] } };
    const { init } = await restartedByHealth(tree, 'api', () => writeFile(flag, ''), new RegExp(`^health check failed 2 times: http ${url.replaceAll('.', '\\.')}: status 503$`));
    const s = await waitUntil(async () => {
      const st = await status(init, 'api');
      return st.health?.lastResult?.ok ? st : undefined;
    }, { what: 'api passing again', ...WAIT });
    assert.equal(s.health?.lastResult?.message, `http ${url}: status 200`);
    assert.equal(s.reason, null, 'the reason is cleared once a check passes');
  });

  it('a passing check never restarts', async () => {
    const count = tempFile('count');
    const tree: TreeSpec = {
      calm: { type: 'longrun', run: 'exec sleep 1000', env: { COUNT: count }, files: { 'health-check': 'echo . >> "$COUNT"\n', 'health-interval': '100\n', 'health-retries': '1\n' } },
      default: { type: 'bundle', contents: ['calm'] },
    };
    await writeFile(count, '');
    const init = await InitProcess.start(tree);
    const ready = await init.waitForState('calm', 'ready', WAIT);
    await waitUntil(async () => (await readFile(count, 'utf8')).length >= 20 || undefined, { what: '10 checks', ...WAIT });
    const s = await status(init, 'calm');
    assert.deepEqual([s.state, s.pid, s.health?.status, s.health?.restarts, s.health?.consecutiveFailures], ['ready', ready.pid, 'healthy', 0, 0]);
    assert.equal(init.transitions('calm').filter((t) => t.to === 'stopping').length, 0);
    assert.equal(init.records.filter((r) => r.msg === 'health check failed').length, 0);
  });

  it('an exec check that outlives health-timeout fails, and its process group is killed', async () => {
    const pids = tempFile('slow-pids');
    const tree: TreeSpec = {
      slow: { type: 'longrun', run: 'exec sleep 1000', env: { PIDS: pids }, files: { 'health-check': 'sleep 300 & echo $! >> "$PIDS"; wait\n', 'health-interval': '100\n', 'health-timeout': '300\n', 'health-retries': '1\n' } },
      default: { type: 'bundle', contents: ['slow'] },
    };
    const init = await InitProcess.start(tree);
    await init.waitForState('slow', 'stopping', { reason: /^health check failed 1 time: exec sleep 300 .*: timed out after 300 ms$/, ...WAIT });
    const first = Number((await readFile(pids, 'utf8')).split('\n')[0]);
    await waitUntil(() => !isAlive(first) || undefined, { what: `the check's background sleep (pid ${first}) killed`, ...WAIT });
  });

  it('an invalid health file fails only its service, naming the full path', async () => {
    const tree: TreeSpec = {
      bad: { type: 'longrun', run: 'exec sleep 1000', files: { 'health-check': 'tcp 127.0.0.1\n', 'health-retries': '0\n' } },
      good: service('exec sleep 1000', 'true', {}),
      default: { type: 'bundle', contents: ['good'] },
    };
    const init = await InitProcess.start(tree);
    await init.waitForState('good', 'ready', WAIT);
    const bad = await status(init, 'bad');
    assert.equal(bad.state, 'failed');
    assert.ok(bad.reason?.includes(init.path('etc/fortros/services/bad/health-check')), String(bad.reason));
    assert.ok(bad.reason?.includes(init.path('etc/fortros/services/bad/health-retries')), String(bad.reason));
    assert.match(String(bad.reason), /expected tcp HOST:PORT/);
    assert.equal((await status(init, 'good')).state, 'ready');
  });
});
