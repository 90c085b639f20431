// LogStore: per-service files never interleaved, close flushes and is idempotent, `--log stdout`, name checks.
import { deepStrictEqual, ok, rejects, strictEqual, throws } from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidServiceNameError,
  LogsNotStoredError,
  LogStore,
  LogStoreClosedError,
  RotatingLog,
  StdoutLog,
} from '../src/log/index.js';
import { allLines, captureLogger, readLogDir, tempDir } from './fixtures/log-helpers.js';

describe('log: LogStore', () => {
  let root: string;
  const { logger } = captureLogger();
  beforeEach(async () => {
    root = await tempDir('log-store');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps concurrent services in their own files, never interleaved', async () => {
    const store = new LogStore({ root, logger, maxFileBytes: 2048, maxFiles: 1_000 });
    const names = ['db', 'web', 'key-service', 'getty@tty1'];
    for (let i = 0; i < 3_000; i++) {
      for (const name of names) store.for(name).write(`${name} ${i}`);
      if (i % 500 === 499) await Promise.all(names.map((n) => (store.for(n) as RotatingLog).flush()));
    }
    await store.close();
    deepStrictEqual((await readdir(join(root, 'var/log/fortros'))).sort(), [...names].sort());
    for (const name of names) {
      const lines = allLines(await readLogDir(store.dirOf(name)));
      deepStrictEqual(lines, Array.from({ length: 3_000 }, (_, i) => `${name} ${i}`));
    }
  });

  it('returns one log per service; close flushes queued lines and is idempotent', async () => {
    const store = new LogStore({ root, logger });
    const a = store.for('svc');
    strictEqual(store.for('svc'), a);
    ok(a instanceof RotatingLog);
    for (let i = 0; i < 100; i++) a.write(`q ${i}`);
    const first = store.close();
    strictEqual(store.close(), first);
    await first;
    strictEqual(allLines(await readLogDir(store.dirOf('svc'))).length, 100);
    throws(() => store.for('svc'), LogStoreClosedError);
    await a.close(); // the log's own close after the store's: still fine
  });

  it('a log closed by its user is replaced by a fresh one appending after it', async () => {
    const store = new LogStore({ root, logger });
    const a = store.for('svc');
    a.write('first run');
    void a.close();
    const b = store.for('svc');
    ok(a !== b);
    b.write('second run');
    await store.close();
    deepStrictEqual(allLines(await readLogDir(store.dirOf('svc'))), ['first run', 'second run']);
  });

  it('reads through reader(): tail of what the service wrote', async () => {
    const store = new LogStore({ root, logger });
    store.for('svc').write('hello');
    await (store.for('svc') as RotatingLog).flush();
    deepStrictEqual((await store.reader('svc').tail(5)).map((e) => e.line), ['hello']);
    deepStrictEqual(await store.reader('quiet').tail(5), []);
    await store.close();
  });

  it('refuses names that are not service names (no path escapes the log directory)', () => {
    const store = new LogStore({ root, logger });
    for (const bad of ['', '..', '../etc', 'a/b', '.hidden', '-x', 'a b', 'x'.repeat(256)]) {
      throws(() => store.for(bad), InvalidServiceNameError, bad);
    }
    ok(store.for('name@param.1_x-y'));
    return store.close();
  });

  it('validates its options: expected <what>, got <value>', () => {
    throws(() => new LogStore({ root: '', logger }), /log store root: expected a non-empty path, got /);
    throws(() => new LogStore({ root, logger, output: 'syslog' as never }), /log output: expected "files" or "stdout", got "syslog"/);
    throws(() => new LogStore({ root, logger, maxFiles: -1 }), /log maxFiles: expected an integer from 1 to 100000, got -1/);
    throws(() => new LogStore({ root, logger, maxFileBytes: 100 }), /log maxFileBytes: expected an integer from 1024/);
  });

  it('--log stdout: `NAME: line` into the shared sink, nothing stored, nothing to read', async () => {
    const out: string[] = [];
    const store = new LogStore({ root, logger, output: 'stdout', stdoutSink: { write: (l) => out.push(l) } });
    const web = store.for('web');
    ok(web instanceof StdoutLog);
    web.write('GET /\n');
    store.for('db').write('ready\nlistening');
    web.write('x'.repeat(20_000));
    throws(() => store.reader('web'), LogsNotStoredError);
    await store.close();
    web.write('after close');
    deepStrictEqual(out.slice(0, 3), ['web: GET /', 'db: ready', 'db: listening']);
    ok(out[3]!.startsWith('web: xxx') && out[3]!.endsWith('[fortros-init: line truncated]'));
    strictEqual(out.length, 4);
    await rejects(readdir(join(root, 'var/log/fortros')), { code: 'ENOENT' });
  });
});
