// fortros-console as a service of a real fortros-init, opened in headless Chromium: the services page shows names and
// states, the members page says the maintainer is down (no 500), a log line written after the page opened appears
// (escaped: markup in it stays text), the boot timeline image loads, and a screenshot is not blank.
import assert from 'node:assert/strict';
import { access, constants, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Browser, CHROMIUM } from '../harness/cdp.js';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { colourCounts, decodePng } from '../harness/png.js';
import { waitUntil } from '../harness/wait.js';

const CONSOLE_MAIN = fileURLToPath(new URL('../../apps/console/dist/main.js', import.meta.url));
const WINDOW = { width: 1200, height: 800 };
/** Generous: node and chromium start on 2 cores shared with other suites. */
const PAGE_WAIT_MS = 60_000;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('fortros-console in headless Chromium', () => {
  cleanupAfterEach();
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it('shows services and their states, a down maintainer, live log lines (escaped) and a non-blank page', async function () {
    this.timeout(300_000);
    if (!(await access(CHROMIUM, constants.X_OK).then(() => true, () => false))) {
      this.test!.title += ` [skipped: ${CHROMIUM} not found; install Debian's "chromium" package (scripts/setup.sh does)]`;
      this.skip();
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const init = await InitProcess.start({
      // prints the content of $FORTROS_ROOT/say whenever the test writes it (a fixture, not a wait of the test)
      talker: { type: 'longrun', run: 'while :; do if [ -e "$FORTROS_ROOT/say" ]; then cat "$FORTROS_ROOT/say"; rm -f "$FORTROS_ROOT/say"; fi; sleep 0.1; done' },
      console: {
        type: 'longrun',
        notificationFd: 3,
        run: `exec node ${CONSOLE_MAIN} --root "$FORTROS_ROOT" --listen 127.0.0.1:${port} --notify-fd 3`,
      },
      default: { type: 'bundle', contents: ['talker', 'console'] },
    });
    const waited = await fortctl(init.root, ['wait', 'default', '--timeout', String(PAGE_WAIT_MS)]);
    assert.equal(waited.code, 0, waited.stderr + init.output.join('\n'));

    // the JSON API: DESIGN §6 names; a daemon that is down is a 503 naming it
    const api = (await (await fetch(`${base}/api/services`)).json()) as { services: { name: string; state: string; ready: boolean }[] };
    assert.deepEqual(api.services.filter((s) => s.name !== 'default').map((s) => [s.name, s.state]).sort(), [['console', 'ready'], ['talker', 'ready']]);
    const members = await fetch(`${base}/api/members`);
    assert.equal(members.status, 503);
    assert.equal(((await members.json()) as { daemon: string }).daemon, 'fortros-maintainer');

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

    await browser.goto(`${base}/members`);
    const down = await waitUntil(async () => (await text('.down')) || undefined, { timeoutMs: PAGE_WAIT_MS, what: 'the maintainer-down notice' });
    assert.match(down, /fortros-maintainer is down/);

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
  });
});
