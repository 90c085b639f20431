// The boot timeline SVG from `fortctl plot` renders in a real browser: headless Chromium (Debian's `chromium`)
// screenshots it, and the picture is not blank: several colours, the bars in their state colour.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { colourCounts, decodePng } from '../harness/png.js';

const CHROMIUM = '/usr/bin/chromium';
/** Generous: the first run on a fresh machine builds fontconfig's cache before it draws anything. */
const CHROMIUM_TIMEOUT_MS = 180_000;
/** Virtual time the page may take to settle before the screenshot (ms; fast-forwarded, not waited). */
const VIRTUAL_TIME_BUDGET_MS = 5_000;
const WINDOW = { width: 1200, height: 800 };
/** The plot's fill for `ready` bars (libs/views/src/state-style.ts). */
const READY_FILL = '#a1d99b';

async function chromiumPresent(): Promise<boolean> {
  return access(CHROMIUM, constants.X_OK).then(() => true, () => false);
}

describe('fortctl plot: the SVG renders in headless Chromium', () => {
  cleanupAfterEach();
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('a screenshot of the boot timeline shows coloured bars, not a blank page', async function () {
    this.timeout(CHROMIUM_TIMEOUT_MS + 60_000);
    if (!(await chromiumPresent())) {
      // mocha's skip() takes no reason: the title carries it into the report
      this.test!.title += ` [skipped: ${CHROMIUM} not found; install Debian's "chromium" package (scripts/setup.sh does)]`;
      this.skip();
    }
    const init = await InitProcess.start({
      base: { type: 'longrun', notificationFd: 3, run: 'sleep 0.8\necho >&3\nexec sleep 1000' },
      setup: { type: 'oneshot', up: 'sleep 0.2' },
      db: { type: 'longrun', notificationFd: 3, dependencies: ['base', 'setup'], run: 'sleep 0.3\necho >&3\nexec sleep 1000' },
      web: { type: 'longrun', dependencies: ['db'], run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['web'] },
    });
    assert.equal((await fortctl(init.root, ['wait', 'default', '--timeout', '20000'])).code, 0);
    dir = await mkdtemp(join(tmpdir(), 'fortros-plot-test-'));
    const svg = join(dir, 'boot.svg');
    const png = join(dir, 'boot.png');
    const plot = await fortctl(init.root, ['plot', '-o', svg]);
    assert.equal(plot.code, 0, plot.stderr);

    const args = [
      // a container's /dev/shm is often tiny: shared memory goes to /tmp instead
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'chromium-profile')}`,
      // draw the whole frame, after the page settled, before the screenshot is taken
      '--run-all-compositor-stages-before-draw', `--virtual-time-budget=${VIRTUAL_TIME_BUDGET_MS}`,
      `--screenshot=${png}`, `--window-size=${WINDOW.width},${WINDOW.height}`, `file://${svg}`,
    ];
    let ran = 'exit code 0';
    let stderr = '';
    try {
      stderr = (await promisify(execFile)(CHROMIUM, args, { timeout: CHROMIUM_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 })).stderr;
    } catch (err) {
      // Chromium often exits non-zero on harmless warnings; the screenshot decides
      const e = err as { killed?: boolean; code?: number | string; signal?: string | null; stderr?: string };
      if (e.killed) throw new Error(`chromium did not finish within ${CHROMIUM_TIMEOUT_MS} ms\n${e.stderr ?? ''}`, { cause: err });
      ran = e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
      stderr = e.stderr ?? '';
    }
    const bytes = await readFile(png).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`chromium wrote no screenshot ${png} (${err.code}); it ended with ${ran}, stderr:\n${stderr}`, { cause: err });
    });
    const img = decodePng(bytes);
    assert.deepEqual([img.width, img.height], [WINDOW.width, WINDOW.height]);

    const counts = [...colourCounts(img).entries()].sort((a, b) => b[1] - a[1]);
    const total = img.width * img.height;
    const [background, backgroundCount] = counts[0]!;
    assert.ok(counts.length >= 3, `at least 3 distinct colours, got ${counts.length}: ${counts.slice(0, 5).map(([c]) => c).join(' ')}`);
    const drawn = total - backgroundCount;
    assert.ok(drawn / total >= 0.02, `at least 2% of the pixels differ from the background ${background}: ${drawn} of ${total}`);
    // base's bar (0.8 s of a ~1 s boot on a 1000 px axis, 14 px high) is far larger than a legend swatch
    const ready = counts.find(([c]) => c === READY_FILL)?.[1] ?? 0;
    assert.ok(ready >= 1_000, `the ready bars are drawn in ${READY_FILL}: ${ready} pixels`);
  });
});
