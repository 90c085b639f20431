// Service logs on disk (svlogd's layout and `s`/`n` rotation, TAI64N stamps): rotation at the size limit loses
// and splits no line, at most n rotated files are kept, a flood faster than the disk loses lines only where a
// `dropped N lines` marker says so, `fortctl logs -n` reads them back, and `--log stdout` prints `name: line` on
// init's stdout instead.
import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { waitUntil } from '../harness/wait.js';

const MAX_BYTES = 4096;
const LINES = 20_000;
/** `@` + 24 hex digits of TAI64N, one space, the text (apps/init/src/log/FORMAT.md). */
const STAMPED = /^@[0-9a-f]{24} (.*)$/;
const ROTATED = /^@[0-9a-f]{24}\.s$/;
/** Lines per burst of the paced counter: far below the per-service log queue (512 KiB), so none is dropped. */
const BURST = 2_000;
/** How long a burst may take to reach the disk: generous, as every rotation syncs a file and CI disks are slow. */
const LOG_WAIT_MS = 60_000;
/** A whole test of LINES lines (some hundred rotations, each with its sync), with room to spare. */
const LOG_TEST_TIMEOUT_MS = 300_000;
const DROPPED = /^fortros-init: dropped (\d+) lines$/;

/** Prints `line 1` … `line N` at once (faster than any disk), then idles. */
const flood = (n: number): { type: 'longrun'; run: string } => ({ type: 'longrun', run: `seq 1 ${n} | sed 's/^/line /'\nexec sleep 1000` });

/** Prints `line 1` … `line N` in bursts of BURST lines, one burst per newline the test writes to $FORTROS_ROOT/go. */
const pacedCounter = (n: number): { type: 'longrun'; run: string } => ({
  type: 'longrun',
  run: [
    'mkfifo "$FORTROS_ROOT/go"',
    'exec 3<>"$FORTROS_ROOT/go"',
    'n=0',
    `while [ $n -lt ${n} ]; do read -r _ <&3; seq $((n+1)) $((n+${BURST})) | sed 's/^/line /'; n=$((n+${BURST})); done`,
    'exec sleep 1000',
  ].join('\n'),
});

/** Let the paced counter print everything, one burst at a time, each once the previous one is on disk. */
async function feed(init: InitProcess, dir: string, n: number): Promise<void> {
  await waitUntil(() => stat(init.path('go')).then(() => true, () => false), { what: 'the counter\'s FIFO' });
  for (let k = BURST; k <= n; k += BURST) {
    await appendFile(init.path('go'), '\n');
    await waitUntil(() => lastLineIs(dir, `line ${k}`), { timeoutMs: LOG_WAIT_MS, what: `line ${k} at the end of ${dir}/current` });
  }
}

interface LogFile {
  name: string;
  bytes: number;
  raw: string;
}

/** The service's rotated files oldest first (their TAI64N names sort by age), then `current`. */
async function logFiles(dir: string): Promise<LogFile[]> {
  const names = await readdir(dir);
  const rotated = names.filter((n) => ROTATED.test(n)).sort();
  const files: LogFile[] = [];
  for (const name of [...rotated, 'current']) {
    const path = join(dir, name);
    files.push({ name, bytes: (await stat(path)).size, raw: await readFile(path, 'utf8') });
  }
  return files;
}

/** The texts of every line, in order, checking each line is stamped and whole (no file ends mid-line). */
function texts(files: LogFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.raw === '') continue;
    assert.ok(f.raw.endsWith('\n'), `${f.name} ends with a whole line`);
    for (const l of f.raw.slice(0, -1).split('\n')) {
      const m = STAMPED.exec(l);
      assert.ok(m, `${f.name}: a stamped line, got ${JSON.stringify(l)}`);
      out.push(m[1]!);
    }
  }
  return out;
}

async function lastLineIs(dir: string, text: string): Promise<boolean> {
  const cur = await readFile(join(dir, 'current'), 'utf8').catch(() => '');
  return cur.endsWith(` ${text}\n`);
}

describe('init: service log files', () => {
  cleanupAfterEach();

  it(`rotates at --log-max-bytes ${MAX_BYTES} without losing or splitting any of ${LINES} lines`, async function () {
    this.timeout(LOG_TEST_TIMEOUT_MS);
    const init = await InitProcess.start({ counter: pacedCounter(LINES), default: { type: 'bundle', contents: ['counter'] } }, {
      args: ['--log-max-bytes', String(MAX_BYTES), '--log-max-files', '1000'],
    });
    const dir = init.path('var/log/fortros/counter');
    await feed(init, dir, LINES);

    const files = await logFiles(dir);
    assert.ok(files.length > 100, `rotated many times: ${files.length} files`);
    for (const f of files) assert.ok(f.bytes <= MAX_BYTES, `${f.name}: ${f.bytes} bytes > ${MAX_BYTES}`);
    // a file is rotated before the line that would pass the limit, so each is nearly full
    for (const f of files.slice(0, -1)) assert.ok(f.bytes > MAX_BYTES - 64, `${f.name} rotated early at ${f.bytes} bytes`);
    const got = texts(files);
    const firstBad = got.findIndex((t, i) => t !== `line ${i + 1}`);
    assert.equal(firstBad, -1, `line ${firstBad + 1} is ${JSON.stringify(got[firstBad])}`);
    assert.equal(got.length, LINES, 'every line, once');

    // fortctl reads the same log back
    const r = await fortctl(init.root, ['logs', 'counter', '-n', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => l.slice(l.indexOf(' ') + 1)), [19_996, 19_997, 19_998, 19_999, 20_000].map((i) => `line ${i}`));
  });

  it('keeps at most --log-max-files rotated files, dropping the oldest whole', async function () {
    this.timeout(LOG_TEST_TIMEOUT_MS);
    const init = await InitProcess.start({ counter: pacedCounter(LINES), default: { type: 'bundle', contents: ['counter'] } }, {
      args: ['--log-max-bytes', String(MAX_BYTES), '--log-max-files', '3'],
    });
    const dir = init.path('var/log/fortros/counter');
    await feed(init, dir, LINES);

    const files = await logFiles(dir);
    assert.equal(files.length, 4, `3 rotated files and current: ${files.map((f) => f.name).join(' ')}`);
    for (const f of files) assert.ok(f.bytes <= MAX_BYTES);
    // what is left is the newest lines, contiguous and whole, up to the last
    const got = texts(files);
    const first = Number(/^line (\d+)$/.exec(got[0]!)![1]);
    assert.deepEqual(got, Array.from({ length: LINES - first + 1 }, (_, i) => `line ${first + i}`));
    assert.ok(got.length > 3 * 100, `about four files of lines kept: ${got.length}`);
  });

  it('a flood faster than the disk loses lines only where a marker counts them, and splits none', async function () {
    this.timeout(LOG_TEST_TIMEOUT_MS);
    const init = await InitProcess.start({
      flood: flood(LINES),
      after: { type: 'longrun', dependencies: ['flood'], run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['after'] },
    }, { args: ['--log-max-bytes', String(MAX_BYTES), '--log-max-files', '1000'] });
    const dir = init.path('var/log/fortros/flood');
    // kept lines plus the counts of the markers account for every line printed
    const account = (got: string[]): { kept: number[]; dropped: number } => ({
      kept: got.filter((t) => !DROPPED.test(t)).map((t) => Number(/^line (\d+)$/.exec(t)?.[1] ?? NaN)),
      dropped: got.reduce((sum, t) => sum + Number(DROPPED.exec(t)?.[1] ?? 0), 0),
    });
    await waitUntil(async () => {
      // while init writes, a read may race a rotation or catch a half-written line (texts() then throws): try again
      const a = await logFiles(dir).then((files) => account(texts(files))).catch(() => undefined);
      return a !== undefined && a.kept.length + a.dropped === LINES;
    }, { timeoutMs: LOG_WAIT_MS, what: `${LINES} lines kept or counted as dropped in ${dir}` });
    const files = await logFiles(dir);
    for (const f of files) assert.ok(f.bytes <= MAX_BYTES, `${f.name}: ${f.bytes} bytes`);
    const { kept, dropped } = account(texts(files));
    assert.equal(kept.length + dropped, LINES);
    assert.ok(kept.every((k, i) => Number.isInteger(k) && (i === 0 || k > kept[i - 1]!)), 'every kept line whole, in order');
    assert.equal(kept[0], 1, 'the first line is kept');
    await init.waitForState('after', 'ready');
  });

  it('--log stdout prints `name: line` on init\'s stdout and writes no log file', async () => {
    const init = await InitProcess.start({
      talker: { type: 'longrun', run: 'echo "hello out"\necho "hello err" >&2\nexec sleep 1000' },
      quiet: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['talker', 'quiet'] },
    }, { args: ['--log', 'stdout'] });
    await waitUntil(() => ['talker: hello out', 'talker: hello err'].every((l) => init.stdoutLines.includes(l)), { what: 'talker\'s lines on init\'s stdout' });
    assert.ok(init.stdoutLines.every((l) => !l.startsWith('{')), 'init\'s own log stays on stderr');
    assert.ok(!init.output.some((l) => l.includes('hello')), 'service output is not on stderr');
    await assert.rejects(stat(init.path('var/log/fortros/talker/current')), { code: 'ENOENT' });
    const r = await fortctl(init.root, ['logs', 'talker']);
    assert.equal(r.code, 1, `no stored logs to read: ${r.stderr}`);
  });
});
