// The daemon skeleton, driven as a real process: start order, reverse stop, signals, readiness, exit codes, metrics.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const TOY = fileURLToPath(new URL('./fixtures/toy-daemon.ts', import.meta.url));
const DEADLINE_MS = 15_000;
/** An idle daemon's window, and the most wake-ups of its event loop allowed in it (with the lag monitor: ~100). */
const IDLE_WINDOW_MS = 1_000;
const IDLE_WAKEUPS_MAX = 50;

interface Toy {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  ready: Promise<void>;
  /** Resolves once stdout holds `line`. */
  waitFor(line: string): Promise<void>;
  /** The first stderr line containing `text` (the log arrives on its own pipe, after or before readiness). */
  stderrLine(text: string): Promise<string>;
  exit: Promise<number | null>;
}

function startToy(args: string[]): Toy {
  const child = spawn(process.execPath, ['--import', 'tsx', TOY, '--notify-fd', '3', ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.filter((w) => lines.includes(w.line))) w.resolve();
  });
  const stderrWaiters: { text: string; resolve: (line: string) => void }[] = [];
  const stderrFind = (text: string): string | undefined => stderr.join('').split('\n').find((l) => l.includes(text));
  child.stderr!.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    for (const w of stderrWaiters) {
      const line = stderrFind(w.text);
      if (line !== undefined) w.resolve(line);
    }
  });
  const stderrLine = (text: string): Promise<string> => {
    const line = stderrFind(text);
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => stderrWaiters.push({ text, resolve }));
  };
  const ready = new Promise<void>((resolve) => (child.stdio[3] as NodeJS.ReadableStream).on('data', () => resolve()));
  const waitFor = (line: string): Promise<void> =>
    lines.includes(line) ? Promise.resolve() : new Promise((resolve) => waiters.push({ line, resolve }));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, lines, stderr, ready, waitFor, stderrLine, exit };
}

async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), DEADLINE_MS)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

describe('daemon skeleton', () => {
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  const toy = (args: string[]): Toy => {
    const t = startToy(args);
    running.push(t.child);
    return t;
  };

  it('starts in order, signals readiness, handles SIGHUP, stops in reverse on SIGTERM and exits 0', async () => {
    const t = toy(['--parts', 'a,b,c']);
    await within(t.ready, 'readiness');
    t.child.kill('SIGHUP');
    await within(t.waitFor('hangup'), 'hangup');
    t.child.kill('SIGTERM');
    assert.equal(await within(t.exit, 'exit'), 0);
    assert.deepEqual(t.lines, ['start a', 'start b', 'start c', 'hangup', 'stop c', 'stop b', 'stop a']);
  });

  it('a failed start stops what started and exits 1, naming the error', async () => {
    const t = toy(['--parts', 'a,b,c', '--fail', 'b']);
    assert.equal(await within(t.exit, 'exit'), 1);
    assert.deepEqual(t.lines, ['start a', 'start b', 'stop b', 'stop a']);
    assert.match(t.stderr.join(''), /could not start.*b broke/);
  });

  it('a start refused for a bad file stops what started and exits 2, naming the file', async () => {
    const t = toy(['--parts', 'a,b,c', '--refuse', 'b']);
    assert.equal(await within(t.exit, 'exit'), 2);
    assert.deepEqual(t.lines, ['start a', 'start b', 'stop b', 'stop a']);
    assert.match(t.stderr.join(''), /could not start.*\/b\.conf: refused/);
  });

  it('a component that fails after start stops every component in reverse and exits 1', async () => {
    const t = toy(['--parts', 'a,b,c', '--die', 'b']);
    assert.equal(await within(t.exit, 'exit'), 1);
    assert.deepEqual(t.lines, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    assert.match(t.stderr.join(''), /component failed, stopping.*"part":"b".*b died/);
  });

  it('SIGINT during a long start stops the starting part and what came before, and exits 0', async () => {
    const t = toy(['--parts', 'a,b,c', '--slow', 'b']);
    await within(t.waitFor('start b'), 'start b');
    t.child.kill('SIGINT');
    assert.equal(await within(t.exit, 'exit'), 0);
    assert.deepEqual(t.lines, ['start a', 'start b', 'stop b', 'stop a']);
  });

  it('a bad command line prints usage and exits 2', async () => {
    const t = toy(['--bogus', 'x']);
    assert.equal(await within(t.exit, 'exit'), 2);
    assert.match(t.stderr.join(''), /toy-daemon: expected --parts, got --bogus\nusage: toy-daemon/);
  });

  it('serves its own and the process metrics with --metrics', async () => {
    const t = toy(['--parts', 'a', '--metrics', '127.0.0.1:0']);
    await within(t.ready, 'readiness');
    const m = /"address":"([^"]+)"/.exec(await within(t.stderrLine('metrics listening'), 'metrics listening'));
    assert.ok(m, t.stderr.join(''));
    t.child.kill('SIGHUP');
    await within(t.waitFor('hangup'), 'hangup');
    const res = await fetch(`http://${m[1]}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const body = await res.text();
    assert.match(body, /^# TYPE toy_hangups_total counter$/m);
    assert.match(body, /^toy_hangups_total 1$/m);
    assert.match(body, /^toy_daemon_process_cpu_seconds_total /m);
    assert.equal((await fetch(`http://${m[1]}/other`)).status, 404);
    t.child.kill('SIGTERM');
    assert.equal(await within(t.exit, 'exit'), 0);
  });

  it('idle without --metrics, its event loop sleeps (the process metrics\' lag monitor would wake it ~100 times a second)', async () => {
    const t = toy(['--parts', 'a']);
    await within(t.ready, 'readiness');
    // the main thread's voluntary context switches: one per wake-up of the event loop
    const wakeups = (): number => Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${t.child.pid}/task/${t.child.pid}/status`, 'utf8'))?.[1]);
    const before = wakeups();
    await sleep(IDLE_WINDOW_MS);
    const woke = wakeups() - before;
    assert.ok(woke < IDLE_WAKEUPS_MAX, `woke ${woke} times in ${IDLE_WINDOW_MS} ms idle`);
    t.child.kill('SIGTERM');
    assert.equal(await within(t.exit, 'exit'), 0);
  });
});
