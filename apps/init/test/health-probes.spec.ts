// The real checks with real processes and sockets: an exec check's outcome, output, directory and environment,
// its timeout killing the whole process group, TCP connect / refused, HTTP 2xx/3xx vs other statuses, and abort.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { createHealthProber, type ProbeContext } from '../src/health/health-probes.js';
import { createNodeSpawner } from '../src/process/spawner.js';

const prober = createHealthProber({ clock: systemClock, spawner: createNodeSpawner() });
/** Generous: the machine is shared and slow; only the timeout test uses a short one on purpose. */
const TIMEOUT_MS = 20_000;
const POLL_MS = 20;
const DEADLINE_MS = 10_000;

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

async function listening<T extends Server | HttpServer>(srv: T): Promise<{ srv: T; port: number }> {
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { srv, port: (srv.address() as { port: number }).port };
}

describe('health probes (real processes and sockets)', () => {
  let dir: string;
  const ctx = (extra: Partial<ProbeContext> = {}): ProbeContext => ({ dir, env: { PATH: process.env.PATH, WHO: 'web' }, timeoutMs: TIMEOUT_MS, signal: new AbortController().signal, ...extra });
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'hc-probes-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('exec: exit 0 passes; another code fails with the last line of output; cwd and env are the service\'s', async () => {
    assert.deepEqual(await prober.run({ kind: 'exec', command: 'test "$WHO" = web && pwd > where' }, ctx()), { ok: true, message: 'exec test "$WHO" = web && pwd > where: exited with code 0' });
    assert.equal((await readFile(join(dir, 'where'), 'utf8')).trim(), dir);
    const r = await prober.run({ kind: 'exec', command: 'echo first; echo "db down" >&2; exit 4' }, ctx());
    assert.deepEqual(r, { ok: false, message: 'exec echo first; echo "db down" >&2; exit 4: exited with code 4: db down' });
  });

  it('exec: past health-timeout it fails, and every process of its group is killed', async () => {
    const pids = join(dir, 'pids');
    const r = await prober.run({ kind: 'exec', command: `sleep 300 & echo $! > ${pids}; sleep 300` }, ctx({ timeoutMs: 300 }));
    assert.deepEqual(r, { ok: false, message: `exec sleep 300 & echo $! > ${pids}; sleep 300: timed out after 300 ms` });
    const bg = Number(await readFile(pids, 'utf8'));
    for (const end = Date.now() + DEADLINE_MS; alive(bg) && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    assert.equal(alive(bg), false, `background sleep ${bg} killed`);
  });

  it('exec: an abort cuts the check short', async () => {
    const abort = new AbortController();
    const run = prober.run({ kind: 'exec', command: 'sleep 300' }, ctx({ signal: abort.signal }));
    abort.abort();
    assert.deepEqual(await run, { ok: false, message: 'exec sleep 300: cancelled' });
  });

  it('tcp: connected passes; a closed port is "connection refused"', async () => {
    const { srv, port } = await listening(createServer((s) => s.destroy()));
    assert.deepEqual(await prober.run({ kind: 'tcp', host: '127.0.0.1', port }, ctx()), { ok: true, message: `tcp 127.0.0.1:${port}: connected` });
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    assert.deepEqual(await prober.run({ kind: 'tcp', host: '127.0.0.1', port }, ctx()), { ok: false, message: `tcp 127.0.0.1:${port}: connection refused` });
  });

  it('http: 2xx and 3xx pass, other statuses fail with the status', async () => {
    let status = 200;
    const { srv, port } = await listening(createHttpServer((_req, res) => res.writeHead(status).end('body')));
    try {
      const url = `http://127.0.0.1:${port}/healthz`;
      for (const [code, ok] of [[200, true], [302, true], [404, false], [503, false]] as const) {
        status = code;
        assert.deepEqual(await prober.run({ kind: 'http', url }, ctx()), { ok, message: `http ${url}: status ${code}` });
      }
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  });
});
