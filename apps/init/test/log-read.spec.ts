// Reading a service log: tail across rotated files, follow from the writer's events, ending on abort or close.
import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import { rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_TAIL_MAX_LINES, RotatingLog, type LogEntry } from '../src/log/index.js';
import { captureLogger, readLogDir, tempDir, waitUntil } from './fixtures/log-helpers.js';

const texts = (entries: LogEntry[]): string[] => entries.map((e) => e.line);
const range = (from: number, to: number, prefix = 'n'): string[] => Array.from({ length: to - from }, (_, k) => `${prefix} ${from + k}`);

describe('log: tail and follow', () => {
  let root: string;
  const { logger } = captureLogger();
  beforeEach(async () => {
    root = await tempDir('log-read');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('tail returns the last n lines across rotated files, oldest first, with their times', async () => {
    const dir = join(root, 'svc');
    let now = Date.UTC(2025, 5, 1);
    const log = new RotatingLog({ dir, maxFileBytes: 1024, maxFiles: 100, logger, clock: { now: () => now++ } });
    for (let i = 0; i < 1_000; i++) log.write(`n ${i}`);
    await log.flush();
    ok((await readLogDir(dir)).length > 20, 'the history spans many files');
    const last = await log.tail(300);
    deepStrictEqual(texts(last), range(700, 1_000));
    strictEqual(last[0]!.at.getTime(), Date.UTC(2025, 5, 1) + 700);
    strictEqual(last.at(-1)!.at.getTime(), Date.UTC(2025, 5, 1) + 999);
    deepStrictEqual(texts(await log.tail(1)), ['n 999']);
    deepStrictEqual(await log.tail(0), []);
    deepStrictEqual(texts(await log.tail(LOG_TAIL_MAX_LINES)), range(0, 1_000));
    await rejects(log.tail(LOG_TAIL_MAX_LINES + 1), /tail lines: expected an integer from 0 to 10000, got 10001/);
    await rejects(log.tail(-1), RangeError);
    await log.close();
  });

  it('tail reads lines longer than its read chunk and files without a final newline', async () => {
    const dir = join(root, 'big');
    const log = new RotatingLog({ dir, maxFileBytes: 1_000_000, logger });
    const long = 'z'.repeat(15_000);
    for (let i = 0; i < 40; i++) {
      log.write(`${i} ${long}`); // 600 KB in all: several 64 KiB read chunks
      if (i % 10 === 9) await log.flush();
    }
    await log.close();
    const tail = await log.tail(25);
    strictEqual(log.dropped, 0);
    ok(tail.every((e, k) => e.line === `${15 + k} ${long}`), 'the 25 long lines, whole and in order');
    await writeFile(join(dir, 'current'), '@4000000067760210000000aa one\n@4000000067760210000000aa two');
    deepStrictEqual(texts(await log.tail(5)), ['one', 'two']);
  });

  it('tail of a service that never logged is empty; lines without a timestamp are kept', async () => {
    const log = new RotatingLog({ dir: join(root, 'never'), logger });
    deepStrictEqual(await log.tail(10), []);
    await mkdir(join(root, 'foreign'));
    await writeFile(join(root, 'foreign', 'current'), 'plain text\n@4000000067760210000000aa stamped\n');
    const foreign = await new RotatingLog({ dir: join(root, 'foreign'), logger }).tail(10);
    deepStrictEqual(texts(foreign), ['plain text', 'stamped']);
    strictEqual(foreign[0]!.at.getTime(), foreign[1]!.at.getTime(), 'dated like the next line');
  });

  it('follow yields new lines as they are written and ends when its signal aborts', async () => {
    const log = new RotatingLog({ dir: join(root, 'f'), maxFileBytes: 1024, logger });
    log.write('old');
    await log.flush();
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of log.follow({ signal: ac.signal })) seen.push(e.line);
    })();
    for (let i = 0; i < 200; i++) log.write(`n ${i}`); // across rotations
    await waitUntil('200 followed lines', () => seen.length >= 200);
    deepStrictEqual(seen, range(0, 200));
    ac.abort();
    await done; // ends without error
    log.write('after abort');
    await log.close();
    strictEqual(seen.length, 200);
  });

  it('follow with tail: the last lines, then new ones, none missed or repeated while writing', async () => {
    const log = new RotatingLog({ dir: join(root, 'ft'), maxFileBytes: 2048, logger });
    for (let i = 0; i < 100; i++) log.write(`n ${i}`);
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of log.follow({ signal: ac.signal, tail: 10 })) {
        seen.push(e.line);
        if (e.line === 'n 499') ac.abort();
      }
    })();
    for (let i = 100; i < 500; i++) {
      log.write(`n ${i}`);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    await log.close();
    const first = Number(seen[0]!.split(' ')[1]);
    deepStrictEqual(seen, range(first, 500));
    ok(first <= 90, `tail started at ${first}`);
  });

  it('follow ends when the log closes, and a pending follow on an idle log ends on abort', async () => {
    const log = new RotatingLog({ dir: join(root, 'fc'), logger });
    const idle = new AbortController();
    const idleDone = (async () => {
      for await (const _ of log.follow({ signal: idle.signal })) void _;
    })();
    const seen: string[] = [];
    const closing = (async () => {
      for await (const e of log.follow({ signal: new AbortController().signal })) seen.push(e.line);
    })();
    log.write('last');
    idle.abort();
    await idleDone;
    await log.close();
    await closing;
    deepStrictEqual(seen, ['last']);
    const aborted = new AbortController();
    aborted.abort();
    const none: LogEntry[] = [];
    for await (const e of new RotatingLog({ dir: join(root, 'fc'), logger }).follow({ signal: aborted.signal })) none.push(e);
    deepStrictEqual(none, []);
  });
});
