// Runs the built fortctl as a child process against a node root: one-shot commands collect stdout, stderr and the
// exit code; streaming commands (`logs -f`, `events`) are read line by line and stopped by pid after each test.
import { spawn, type ChildProcess } from 'node:child_process';
import { FORTCTL_MAIN, FORTCTL_TIMEOUT_MS } from '@fortros/lab';
import { waitUntil, type WaitOptions } from './wait.js';
import { onLines } from './lines.js';

/** What `fortctl` runs (the bundle `npm run build` makes) and how long one command may take before a test calls it
 * hung: the lab's, which runs fortctl the same way. */
export { FORTCTL_MAIN, FORTCTL_TIMEOUT_MS };
const STREAM_KILL_GRACE_MS = 5_000;

export interface FortctlResult {
  /** Exit code; null when fortctl was killed by a signal (then `signal` says which). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface FortctlOptions {
  /** Kill fortctl (SIGKILL, by pid) and fail after this many ms (default FORTCTL_TIMEOUT_MS). */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
}

function spawnCtl(root: string, args: readonly string[], env: Record<string, string | undefined> = {}): ChildProcess {
  // FORTROS_ROOT from the test runner's environment must never leak into the command: --root says it all.
  return spawn(process.execPath, [FORTCTL_MAIN, '--root', root, ...args], {
    env: { ...process.env, FORTROS_ROOT: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run `fortctl --root ROOT ARGS...` to completion. Rejects only when fortctl hangs past the timeout. */
export function fortctl(root: string, args: readonly string[], opts: FortctlOptions = {}): Promise<FortctlResult> {
  const timeoutMs = opts.timeoutMs ?? FORTCTL_TIMEOUT_MS;
  const child = spawnCtl(root, args, opts.env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fortctl ${args.join(' ')}: still running after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => (clearTimeout(timer), reject(err)));
    child.once('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr })));
  });
}

/** A long-running fortctl (`logs -f`, `events`): its output as lines, so far. */
export class FortctlStream {
  readonly lines: string[] = [];
  stderr = '';
  result: FortctlResult | undefined;
  private readonly closed: Promise<FortctlResult>;
  private stdout = '';

  constructor(readonly args: readonly string[], readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    onLines(child.stdout!, (l) => this.lines.push(l));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.closed = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        this.result = { code, signal, stdout: this.stdout, stderr: this.stderr };
        liveStreams.delete(this);
        resolve(this.result);
      });
    });
    this.closed.catch(() => undefined);
  }

  /** Wait until some line satisfies `pred`; returns it. Fails early if fortctl exits first. */
  waitForLine(pred: (line: string) => boolean, options: WaitOptions = {}): Promise<string> {
    return waitUntil(() => {
      const hit = this.lines.find(pred);
      if (hit === undefined && this.result) throw new Error(`fortctl ${this.args.join(' ')} exited (${JSON.stringify(this.result)}) before ${options.what ?? 'the line'}`);
      return hit;
    }, { what: `a line of fortctl ${this.args.join(' ')}`, ...options });
  }

  /** Send `sig` (by pid) and wait for fortctl to exit. */
  async interrupt(sig: NodeJS.Signals = 'SIGINT', options: WaitOptions = {}): Promise<FortctlResult> {
    if (!this.result) this.child.kill(sig);
    return this.done(options);
  }

  /** Wait for fortctl to exit on its own. */
  done(options: WaitOptions = {}): Promise<FortctlResult> {
    const timeoutMs = options.timeoutMs ?? FORTCTL_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`fortctl ${this.args.join(' ')}: did not exit within ${timeoutMs} ms`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  /** SIGKILL by pid unless it already exited. */
  async kill(): Promise<void> {
    if (this.result) return;
    this.child.kill('SIGKILL');
    await this.done({ timeoutMs: STREAM_KILL_GRACE_MS }).catch(() => undefined);
  }
}

const liveStreams = new Set<FortctlStream>();

/** Start `fortctl --root ROOT ARGS...` and keep it running; stopped after the test by cleanupFortctlAfterEach. */
export function startFortctl(root: string, args: readonly string[], opts: Pick<FortctlOptions, 'env'> = {}): FortctlStream {
  const s = new FortctlStream(args, spawnCtl(root, args, opts.env));
  liveStreams.add(s);
  return s;
}

/** Kill every fortctl stream a test left running (by pid), pass or fail; call once at the top of a describe(). */
export function cleanupFortctlAfterEach(): void {
  afterEach(async function () {
    this.timeout(STREAM_KILL_GRACE_MS * 2);
    await Promise.all([...liveStreams].map((s) => s.kill()));
  });
}

/** Parse fortctl's `--json` stream output: one object per line. */
export function jsonLines<T = Record<string, unknown>>(lines: readonly string[]): T[] {
  return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}
