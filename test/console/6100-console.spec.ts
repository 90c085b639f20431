// fortros-console as a service of a real fortros-init (with a real fortros-maintainer, --mesh none), opened in
// headless Chromium: services with their states, the org's members, a workload where it runs with its phase, a log
// line written after the page opened (its markup kept as text), the boot timeline image, a screenshot that is not
// blank; the maintainer stopped shows as down on the open page (no 500); and --token-file asks for the credential.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_PATHS } from '@fortros/core';
import { MaintainerV1 } from '@fortros/proto';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { Browser, CHROMIUM } from '../harness/cdp.js';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { MAINTAINER_MAIN } from '../harness/maintainer.js';
import { colourCounts, decodePng } from '../harness/png.js';
import { waitUntil } from '../harness/wait.js';

const CONSOLE_MAIN = fileURLToPath(new URL('../../apps/console/dist/main.js', import.meta.url));
const WINDOW = { width: 1200, height: 800 };
/** Generous: node, the maintainer and chromium start on 2 cores shared with other suites. */
const PAGE_WAIT_MS = 90_000;
const NODE_NAME = 'cn-node';
const TOKEN = `cn-token-${process.pid}-0123456789abcdef`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function chromiumPresent(): Promise<boolean> {
  return access(CHROMIUM, constants.X_OK).then(() => true, () => false);
}

/** A workload stored in the maintainer and a status reported for it on this node, as a reconciler would. */
async function putWorkload(root: string): Promise<void> {
  const client = createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), join(root, NODE_PATHS.maintainerSocket));
  try {
    const spec = { id: 'web', driver: 'process', command: '/bin/sleep', args: ['100'], placement: { nodes: [NODE_NAME] } };
    await unary(client, 'putWorkload', { specJson: JSON.stringify(spec) });
    const status = { workload: 'web', phase: 'running', pid: 4242, restarts: 1, since: new Date().toISOString(), reason: 'started <i>by the test</i>' };
    await unary(client, 'reportObserved', { statusJson: JSON.stringify(status) });
  } finally {
    closeClient(client);
  }
}

describe('fortros-console in headless Chromium', () => {
  cleanupAfterEach();
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it('shows services, members and workloads, follows a log line (escaped), draws a non-blank page, and a stopped maintainer as down', async function () {
    this.timeout(300_000);
    if (!(await chromiumPresent())) {
      this.test!.title += ` [skipped: ${CHROMIUM} not found; install Debian's "chromium" package (scripts/setup.sh does)]`;
      this.skip();
    }
    const port = await freePort();
    const gossipPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const init = await InitProcess.start({
      maintainer: {
        type: 'longrun',
        notificationFd: 3,
        run: `exec node ${MAINTAINER_MAIN} --root "$FORTROS_ROOT" --name ${NODE_NAME} --bind 127.0.0.1:${gossipPort} --mesh none --notify-fd 3`,
      },
      // prints the content of $FORTROS_ROOT/say whenever the test writes it (a fixture, not a wait of the test)
      talker: { type: 'longrun', run: 'while :; do if [ -e "$FORTROS_ROOT/say" ]; then cat "$FORTROS_ROOT/say"; rm -f "$FORTROS_ROOT/say"; fi; sleep 0.1; done' },
      console: {
        type: 'longrun',
        notificationFd: 3,
        run: `exec node ${CONSOLE_MAIN} --root "$FORTROS_ROOT" --listen 127.0.0.1:${port} --notify-fd 3`,
      },
      default: { type: 'bundle', contents: ['maintainer', 'talker', 'console'] },
    });
    const waited = await fortctl(init.root, ['wait', 'default', '--timeout', String(PAGE_WAIT_MS)]);
    assert.equal(waited.code, 0, waited.stderr + init.output.join('\n'));
    await putWorkload(init.root);

    // the JSON API, with DESIGN §6 names
    const api = (await (await fetch(`${base}/api/services`)).json()) as { services: { name: string; state: string; ready: boolean }[] };
    assert.deepEqual(
      api.services.filter((s) => s.name !== 'default').map((s) => [s.name, s.state, s.ready]).sort(),
      [['console', 'ready', true], ['maintainer', 'ready', true], ['talker', 'ready', true]],
    );
    const members = (await (await fetch(`${base}/api/members`)).json()) as { members: { name: string; state: string; address: string }[] };
    assert.deepEqual(members.members.map((m) => [m.name, m.state, m.address]), [[NODE_NAME, 'alive', `127.0.0.1:${gossipPort}`]]);
    const workloads = (await (await fetch(`${base}/api/workloads`)).json()) as { workloads: Record<string, unknown>[] };
    assert.equal(workloads.workloads.length, 1);
    assert.deepEqual(
      [workloads.workloads[0]!['id'], workloads.workloads[0]!['command'], workloads.workloads[0]!['phase'], workloads.workloads[0]!['pid'], typeof workloads.workloads[0]!['node']],
      ['web', '/bin/sleep', 'running', 4242, 'string'],
    );

    browser = await Browser.launch(WINDOW);
    const text = (sel: string): Promise<string> => browser!.evaluate<string>(`document.querySelector(${JSON.stringify(sel)})?.innerText ?? ''`);

    await browser.goto(`${base}/`);
    const services = await waitUntil(async () => {
      const t = await text('#services');
      return t.includes('talker') && t.includes('console') && t;
    }, { timeoutMs: PAGE_WAIT_MS, what: 'the services table' });
    assert.match(services, /talker\s+longrun\s+ready/);
    const png = decodePng(await browser.screenshot());
    assert.deepEqual([png.width, png.height], [WINDOW.width, WINDOW.height]);
    const counts = [...colourCounts(png).values()].sort((a, b) => b - a);
    assert.ok(counts.length >= 3, `at least 3 colours on the page, got ${counts.length}`);
    assert.ok((png.width * png.height - counts[0]!) / (png.width * png.height) >= 0.02, 'at least 2% of the page differs from its background');

    await browser.goto(`${base}/workloads`);
    const row = await waitUntil(async () => (await text('#workloads')) || undefined, { timeoutMs: PAGE_WAIT_MS, what: 'the workloads table' });
    assert.match(row, /web\s+\S+\s+running\s+4242\s+1\s+\S+\s+started <i>by the test<\/i>/);
    assert.equal(await browser.evaluate<number>(`document.querySelectorAll('#workloads i').length`), 0, 'markup in a reason stays text');

    await browser.goto(`${base}/timeline`);
    await waitUntil(() => browser!.evaluate<boolean>(`(document.getElementById('timeline')?.naturalWidth ?? 0) > 0`), { timeoutMs: PAGE_WAIT_MS, what: 'the timeline image' });

    await browser.goto(`${base}/logs?service=talker`);
    await waitUntil(async () => (await text('#log-status')) === 'following', { timeoutMs: PAGE_WAIT_MS, what: 'the log page following' });
    const marker = `<b>said-after-open-${process.pid}</b>`;
    await writeFile(init.path('say'), `${marker}\n`);
    await waitUntil(async () => (await text('#log')).includes(marker), { timeoutMs: PAGE_WAIT_MS, what: `the line ${marker} on the page` });
    assert.equal(await browser.evaluate<number>(`document.querySelectorAll('#log b').length`), 0, 'markup in a log line stays text');

    await browser.goto(`${base}/logs?workload=web`);
    assert.match(await waitUntil(async () => (await text('#log-unavailable')) || undefined, { timeoutMs: PAGE_WAIT_MS }), /reconciler not running/);

    // the members page, then the maintainer stopped: the open page says it is down (its script fetches it again)
    await browser.goto(`${base}/members`);
    assert.match(await waitUntil(async () => (await text('#members')) || undefined, { timeoutMs: PAGE_WAIT_MS, what: 'the members table' }), new RegExp(`${NODE_NAME}\\s+\\S+\\s+alive\\s+127\\.0\\.0\\.1:${gossipPort}`));
    assert.equal((await fortctl(init.root, ['stop', 'maintainer'])).code, 0);
    const down = await waitUntil(async () => (await text('.down')) || undefined, { timeoutMs: PAGE_WAIT_MS, what: 'the maintainer-down notice' });
    assert.match(down, /fortros-maintainer is down/);
    const api503 = await fetch(`${base}/api/members`);
    assert.equal(api503.status, 503);
    assert.equal(((await api503.json()) as { daemon: string }).daemon, 'fortros-maintainer');
  });
});

describe('fortros-console with --token-file', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('refuses requests without the credential (401, a basic-auth challenge) and serves them with it; init down is shown, not a 500', async function () {
    this.timeout(120_000);
    dir = await mkdtemp(join(tmpdir(), 'cn-console-'));
    await writeFile(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const stderr: string[] = [];
    child = spawn(process.execPath, [CONSOLE_MAIN, '--root', dir, '--listen', `127.0.0.1:${port}`, '--token-file', join(dir, 'token')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => stderr.length < 100 && stderr.push(d.toString()));
    const refused = await waitUntil(() => fetch(`${base}/`).catch(() => undefined), { timeoutMs: 60_000, what: `the console on ${base} (stderr: ${stderr.join('')})` });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal((await fetch(`${base}/api/services`, { headers: { Authorization: 'Bearer not-the-token-at-all' } })).status, 401);
    const page = await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /fortros-init is down/);
    const basic = `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`;
    const api = await fetch(`${base}/api/services`, { headers: { Authorization: basic } });
    assert.equal(api.status, 503);
    assert.equal(((await api.json()) as { daemon: string }).daemon, 'fortros-init');
  });
});
