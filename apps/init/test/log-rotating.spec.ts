// RotatingLog on disk: rotation with no line lost or split, the n limit, truncation, TAI64N, reopen, validation.
import { deepStrictEqual, ok, strictEqual, throws } from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_TRUNCATED_MARKER, RotatingLog, dateFromTai64n, rotatedLabel } from '../src/log/index.js';
import { allLines, captureLogger, readLogDir, tempDir } from './fixtures/log-helpers.js';

describe('log: RotatingLog files', () => {
  let root: string;
  const { logger, records } = captureLogger();
  beforeEach(async () => {
    root = await tempDir('log-rotating');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('rotates at the size limit without losing or splitting a line (50k lines, s=4096)', async () => {
    const dir = join(root, 'var/log/fortros/flood');
    const log = new RotatingLog({ dir, maxFileBytes: 4096, maxFiles: 1000, logger });
    const total = 50_000;
    for (let i = 0; i < total; i++) {
      log.write(`line ${i} ${'y'.repeat(i % 37)}`);
      if (i % 1000 === 999) await log.flush(); // a service that writes in bursts the disk absorbs
    }
    await log.close();
    strictEqual(log.dropped, 0);
    const files = await readLogDir(dir);
    ok(files.length > 100, `expected many rotated files, got ${files.length}`);
    for (const f of files) ok(f.bytes <= 4096, `${f.name} has ${f.bytes} bytes, more than s=4096`);
    // Rotated files are full up to the next line: the next line would not have fitted.
    for (const f of files.slice(0, -1)) ok(f.bytes > 4096 - 26 - 200, `${f.name} rotated early at ${f.bytes} bytes`);
    const lines = allLines(files);
    strictEqual(lines.length, total);
    lines.forEach((line, i) => strictEqual(line, `line ${i} ${'y'.repeat(i % 37)}`));
    for (const f of files.slice(0, -1)) ok(rotatedLabel(f.name), `rotated file name ${f.name} is @<tai64n>.s`);
  });

  it('keeps at most n rotated files, removing the oldest', async () => {
    const dir = join(root, 'svc');
    const log = new RotatingLog({ dir, maxFileBytes: 1024, maxFiles: 3, logger });
    for (let i = 0; i < 2_000; i++) log.write(`entry ${i}`);
    await log.close();
    const files = await readLogDir(dir);
    strictEqual(files.length, 4, files.map((f) => f.name).join(' '));
    strictEqual(files.filter((f) => f.name.startsWith('@')).length, 3);
    const lines = allLines(files);
    // What is left is the newest, contiguous history up to the last line.
    strictEqual(lines.at(-1), 'entry 1999');
    const first = Number(lines[0]!.split(' ')[1]);
    ok(first > 1_000, `oldest kept line ${first} should be recent`);
    deepStrictEqual(lines, Array.from({ length: 2_000 - first }, (_, k) => `entry ${first + k}`));
  });

  it('stamps lines and rotated names with TAI64N of the clock (@4000… label, unique names)', async () => {
    const dir = join(root, 'clock');
    const t = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const log = new RotatingLog({ dir, maxFileBytes: 1024, maxFiles: 100, logger, clock: { now: () => t } });
    log.write('first');
    log.write('given', new Date(t + 1_000));
    for (let i = 0; i < 200; i++) log.write(`fill ${i}`);
    await log.close();
    const oldest = (await readdir(dir)).filter((n) => n.startsWith('@')).sort()[0]!;
    const [l1, l2] = (await readFile(join(dir, oldest), 'utf8')).split('\n');
    const label = (2n ** 62n + 10n + BigInt(Math.floor(t / 1000))).toString(16) + (678_000_000).toString(16).padStart(8, '0');
    strictEqual(l1, `@${label} first`);
    strictEqual(dateFromTai64n(l2!.slice(0, 25))!.getTime(), t + 1_000);
    const names = (await readdir(dir)).filter((n) => n.startsWith('@')).sort();
    ok(names.length > 1);
    strictEqual(new Set(names).size, names.length);
    // Same clock millisecond for every rotation: names still increase (by a nanosecond each).
    for (const n of names) strictEqual(dateFromTai64n(rotatedLabel(n)!)!.getTime(), t);
  });

  it('truncates a line longer than the limit, with a marker, keeping it in one file', async () => {
    const dir = join(root, 'long');
    const log = new RotatingLog({ dir, maxFileBytes: 4096, maxFiles: 10, logger });
    log.write('before');
    log.write('é'.repeat(10_000)); // 20000 UTF-8 bytes; cut at a character boundary
    log.write('after');
    await log.close();
    const files = await readLogDir(dir);
    const lines = allLines(files);
    strictEqual(lines.length, 3);
    strictEqual(lines[0], 'before');
    ok(lines[1]!.endsWith(LOG_TRUNCATED_MARKER));
    ok(/^é+$/.test(lines[1]!.slice(0, -LOG_TRUNCATED_MARKER.length)), 'no broken character before the marker');
    for (const f of files) ok(f.bytes <= 4096);
    strictEqual(lines[2], 'after');
  });

  it('splits embedded newlines into lines and ignores one trailing newline', async () => {
    const dir = join(root, 'nl');
    const log = new RotatingLog({ dir, logger });
    log.write('a\nb\n');
    log.write('c\n');
    log.write('');
    await log.close();
    deepStrictEqual(allLines(await readLogDir(dir)), ['a', 'b', 'c', '']);
  });

  it('appends to the existing current after a restart, ending a cut last line first', async () => {
    const dir = join(root, 'restart');
    const a = new RotatingLog({ dir, logger });
    a.write('boot 1');
    await a.close();
    await appendFile(join(dir, 'current'), '@4000000067760210000000aa cut by a cra'); // no newline: a crash
    const b = new RotatingLog({ dir, logger });
    b.write('boot 2');
    await b.close();
    deepStrictEqual(allLines(await readLogDir(dir)), ['boot 1', 'cut by a cra', 'boot 2']);
  });

  it('continues rotated names and the n limit of files left by a previous run', async () => {
    const dir = join(root, 'old');
    await mkdir(dir, { recursive: true });
    const future = '@4000000080000000000000aa.s'; // far in the future: new names must still sort after it
    await writeFile(join(dir, future), '@4000000080000000000000aa old\n');
    const log = new RotatingLog({ dir, maxFileBytes: 1024, maxFiles: 2, logger });
    for (let i = 0; i < 100; i++) log.write(`new ${i}`);
    await log.close();
    const names = (await readdir(dir)).filter((n) => n.startsWith('@')).sort();
    strictEqual(names.length, 2);
    ok(!names.includes(future), 'the oldest (the old file) was removed');
    ok(names.every((n) => n > future));
  });

  it('validates options: expected <what>, got <value>', () => {
    throws(() => new RotatingLog({ dir: '', logger }), /log dir: expected a non-empty path, got ""/);
    throws(() => new RotatingLog({ dir: root, maxFileBytes: 10, logger }), /log maxFileBytes: expected an integer from 1024 to \d+, got 10/);
    throws(() => new RotatingLog({ dir: root, maxFiles: 0, logger }), /log maxFiles: expected an integer from 1 to 100000, got 0/);
    throws(() => new RotatingLog({ dir: root, maxQueueBytes: 1.5, logger }), /log maxQueueBytes: expected an integer .* got 1.5/);
    throws(() => new RotatingLog({ dir: root, clock: {} as never, logger }), /log clock: expected an object with now\(\): number/);
    throws(() => new RotatingLog({ dir: root } as never), /log logger: expected a Logger, got nothing/);
  });

  it('a directory that cannot be written: warns once, drops and counts, never throws', async () => {
    await writeFile(join(root, 'file'), 'not a directory');
    const log = new RotatingLog({ dir: join(root, 'file', 'svc'), logger });
    const before = records.length;
    for (let i = 0; i < 10; i++) {
      log.write(`lost ${i}`);
      await log.flush();
    }
    await log.close();
    strictEqual(log.dropped, 10);
    const warnings = records.slice(before).filter((r) => r.includes('cannot write service log'));
    strictEqual(warnings.length, 1, warnings.join('\n'));
  });
});
