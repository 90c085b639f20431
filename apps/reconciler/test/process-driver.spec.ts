// The process driver: the shared driver contract, plus env, namespaces and uid/gid.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchoredDriver } from '../src/driver/anchored-driver.js';
import { ProcessBackend } from '../src/driver/process-backend.js';
import type { ProcessWorkloadSpec } from '../src/spec.js';
import { driverContract, eventually, processExists, readLog } from './driver-contract.js';

/** How far past its size limit s6-log may let a file grow: one write buffer. */
const ROTATION_SLACK_BYTES = 65_536;
const root = mkdtempSync(join(tmpdir(), `rc-proc-${process.pid}-`));
after(() => rmSync(root, { recursive: true, force: true }));

const newDriver = (): AnchoredDriver =>
  new AnchoredDriver({ backend: new ProcessBackend(), stateDir: join(root, 'state'), logRoot: join(root, 'log'), stopTimeoutMs: 3_000 });
const spec = (id: string, script: string, extra: Partial<ProcessWorkloadSpec> = {}): ProcessWorkloadSpec => ({
  id, driver: 'process', command: 'sh', args: ['-c', script], env: {}, restart: 'always', placement: { nodes: ['n'] }, keys: [], ...extra,
});

driverContract('process', async () => ({
  newDriver,
  // `exec sleep` after a trap-free echo: SIGTERM ends it, as a well-behaved service.
  longRunning: (id, marker) => spec(id, `echo ${marker}; exec sleep 1000`),
  exitingWith3: (id) => spec(id, 'echo bye; exit 3'),
  broken: (id) => ({ ...spec(id, ''), command: '/nonexistent/rc-binary' }),
  crash: async (_id, pid) => void process.kill(pid, 'SIGKILL'),
  bootTimeoutMs: 10_000,
}));

describe('process driver', () => {
  it('gives the workload exactly its env (plus a default PATH), stdout and stderr to its log', async () => {
    const driver = newDriver();
    const id = `env-${process.pid}`;
    await driver.start(spec(id, 'env; echo to-stderr >&2; echo done', { env: { MODE: 'prod' } }));
    const log = await eventually('the log', 10_000, () => (readLog(driver, id).includes(' done') ? readLog(driver, id) : undefined));
    const vars = log.split('\n').map((l) => l.slice(26)).filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]).sort();
    assert.deepEqual(vars.filter((v) => v !== 'PWD' && v !== 'SHLVL'), ['MODE', 'PATH']);
    assert.match(log, / MODE=prod$/m);
    assert.match(log, / to-stderr$/m);
    await driver.remove(id);
  });

  it('runs in its own session and process group, as the uid/gid asked, in the namespaces asked', async function () {
    if (process.getuid?.() !== 0) {
      console.log('      skipped: changing uid/gid and unsharing namespaces need root');
      this.skip();
    }
    const driver = newDriver();
    const id = `ns-${process.pid}`;
    const script = 'echo ids $(id -u) $(id -g); echo pid $$; echo host $(hostname); sleep 1000';
    const { pid } = await driver.start(spec(id, script, { uid: 65534, gid: 65534, namespaces: ['uts', 'pid'] }));
    const log = await eventually('the ids', 10_000, () => (/ host /.test(readLog(driver, id)) ? readLog(driver, id) : undefined));
    assert.match(log, / ids 65534 65534$/m);
    assert.match(log, / pid 1$/m, 'PID 1 of its own pid namespace');
    const stat = (await import('node:fs')).readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    assert.equal(Number(stat[2]), pid, 'process group leader');
    assert.equal(Number(stat[3]), pid, 'session leader');
    await driver.remove(id);
  });

  it('kill -9 of the process that started it leaves the workload running, and a new instance adopts it', async function () {
    this.timeout(60_000);
    const id = `kill9-${process.pid}`;
    const reconciler = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/start-workload.ts', import.meta.url)), join(root, 'state'), join(root, 'log'), id], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: reconciler.stdout! }), 'line')) as [string];
    const { pid } = JSON.parse(line) as { pid: number };
    const gone = once(reconciler, 'exit');
    reconciler.kill('SIGKILL');
    await gone;
    assert.ok(processExists(pid), 'the workload outlived the process that started it');
    const driver = newDriver();
    const run = (await driver.list()).get(id);
    assert.equal(run?.state === 'running' && run.pid, pid);
    await driver.remove(id);
    assert.equal(processExists(pid), false);
  });

  // s6-log checks the size after each write, so a file may pass 1 MB by what one write held (measured: < 8 KiB).
  it('rotates its log like a service log: files of about 1 MB, no line lost or cut', async function () {
    this.timeout(60_000);
    const driver = newDriver();
    const id = `rotate-${process.pid}`;
    await driver.start(spec(id, "head -c 1500000 /dev/zero | tr '\\0' x | fold -w 999; echo; echo end"));
    const dir = driver.logDir(id);
    await eventually('the last line', 20_000, () => (readLog(driver, id).endsWith(' end\n') ? true : undefined));
    const rotated = readdirSync(dir).filter((f) => /^@[0-9a-f]{24}\.s$/.test(f));
    assert.equal(rotated.length, 1, `rotated files: ${readdirSync(dir).join(' ')}`);
    const lines: string[] = [];
    for (const f of [...rotated, 'current']) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.ok(Buffer.byteLength(text) <= 1_000_000 + ROTATION_SLACK_BYTES && text.endsWith('\n'), `${f}: about 1 MB, whole lines`);
      lines.push(...text.split('\n').filter((l) => l !== ''));
    }
    assert.equal(lines.length, Math.ceil(1_500_000 / 999) + 1);
    for (const l of lines.slice(0, -1)) assert.match(l, /^@[0-9a-f]{24} x+$/);
    await driver.remove(id);
  });

  it('a workload PATH without the usual tools does not break its anchor', async () => {
    const driver = newDriver();
    const id = `path-${process.pid}`;
    await driver.start({ ...spec(id, 'echo "path $PATH"; exit 4'), command: '/bin/sh', env: { PATH: '/nonexistent' } });
    const run = await eventually('the exit', 10_000, async () => {
      const r = (await driver.list()).get(id);
      return r?.state === 'exited' ? r : undefined;
    });
    assert.deepEqual(run.state === 'exited' && run.exit, { code: 4, signal: null });
    await eventually('the log', 10_000, () => (readLog(driver, id).includes(' path /nonexistent') ? true : undefined));
    assert.equal(readFileSync(join(root, 'state', id, 'anchor.err'), 'utf8'), '', 'the anchor reported no error');
    await driver.remove(id);
  });

  it('a command not found is a driver error naming it', async () => {
    await assert.rejects(newDriver().start({ ...spec('missing', ''), command: 'rc-no-such-command' }), /command not found: rc-no-such-command/);
  });
});
