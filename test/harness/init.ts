// Runs the built fortros-init against a temporary root: writes the tree, parses its JSON log from stderr, waits
// on states with deadlines, and always cleans up (SIGTERM, then SIGKILL by pid; temp dir removed).
import { NODE_PATHS } from '@fortros/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeTree, type TreeSpec } from './tree.js';
import { DEFAULT_WAIT_MS, waitUntil, type WaitOptions } from './wait.js';
import { onLines } from './lines.js';
import { INIT_MAIN } from '@fortros/lab';

export { INIT_MAIN }; // where the built program is: @fortros/lab names every one (apps/lab/src/binaries.ts)
/** Non-JSON lines kept (service output), newest last. */
const MAX_OUTPUT_LINES = 2_000;
const CLEANUP_TERM_GRACE_MS = 15_000;

export type LogRecord = Record<string, unknown> & { time: string; level: string; msg: string };

/** The file name of init's control socket in its run directory (apps/init/src/boot.ts). */
const INIT_SOCKET_NAME = basename(NODE_PATHS.initSocket);

export interface StartOptions {
  bundle?: string;
  args?: string[];
  /**
   * By default start() returns once init logs `serving` on init.sock, so fortctl can connect at once. Give a log
   * message to wait for that instead (e.g. "cannot boot", when the tree is meant not to load), or '' not to wait.
   */
  waitForMsg?: string;
  /** A command prefix init runs under, e.g. `unshare --pid --fork …` (PID 1 of a pid namespace) or ['ip', 'netns', 'exec', NS] (it must exec, so the pid stays init's). */
  wrap?: string[];
  /** Runs after the root and its tree are written, before init starts (e.g. to put node config in place). */
  prepare?: (root: string) => Promise<void>;
}

export class InitProcess {
  readonly records: LogRecord[] = [];
  readonly output: string[] = [];
  outputLineCount = 0;
  /** Lines init wrote on its stdout (service output with `--log stdout`), newest last, bounded like `output`. */
  readonly stdoutLines: string[] = [];
  /** Set on 'close' (the process exited and its stdout and stderr ended), so every record it wrote is parsed. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** Resolves on 'exit': cleanup decides on SIGKILL by this, even if a stray holder kept a pipe open. */
  private readonly exited: Promise<void>;

  private constructor(readonly root: string, readonly child: ChildProcess) {
    // both pipes are always read (stdin is not a pipe), so they end and 'close' follows 'exit'
    onLines(child.stderr!, (l) => this.line(l));
    onLines(child.stdout!, (l) => {
      this.stdoutLines.push(l);
      if (this.stdoutLines.length > MAX_OUTPUT_LINES) this.stdoutLines.shift();
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('close', (code, signal) => (this.exit = { code, signal }));
  }

  static async start(tree: TreeSpec, options: StartOptions = {}): Promise<InitProcess> {
    const root = await mkdtemp(join(tmpdir(), 'fortros-init-test-'));
    await writeTree(join(root, NODE_PATHS.servicesDir), tree);
    const args = [INIT_MAIN, '--root', root, '--log-format', 'json', ...(options.bundle ? ['--bundle', options.bundle] : []), ...(options.args ?? [])];
    await options.prepare?.(root);
    const [file, ...argv] = [...(options.wrap ?? []), process.execPath, ...args];
    const child = spawn(file!, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const init = new InitProcess(root, child);
    live.add(init);
    const msg = options.waitForMsg;
    if (msg === undefined) {
      await init.waitForRecord((r) => r.msg === 'serving' && String(r.address).endsWith(`/${INIT_SOCKET_NAME}`), { what: `init serving on ${INIT_SOCKET_NAME}` });
    } else if (msg !== '') {
      await init.waitForRecord((r) => r.msg === msg, { what: `log message "${msg}"` });
    }
    return init;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The service source directory of the tree written at start (edit it, then SIGHUP, to test a rescan). */
  get sourceDir(): string {
    return join(this.root, NODE_PATHS.servicesDir);
  }

  /** The pid of `service` when it last entered `state` (from the transition records), 0 if never. */
  lastPid(service: string, state = 'ready'): number {
    const r = this.transitions(service).filter((t) => t.to === state).at(-1);
    return r ? Number(r.pid) : 0;
  }

  /** A path under the node root (services see the root as $FORTROS_ROOT). */
  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  private line(l: string): void {
    if (l.startsWith('{')) {
      try {
        this.records.push(JSON.parse(l) as LogRecord);
        return;
      } catch {
        /* not a record: service output */
      }
    }
    this.outputLineCount++;
    this.output.push(l);
    if (this.output.length > MAX_OUTPUT_LINES) this.output.shift();
  }

  /** Transition records (component init:supervisor, msg "service state"), optionally of one service. */
  transitions(service?: string): LogRecord[] {
    return this.records.filter((r) => r.msg === 'service state' && (service === undefined || r.service === service));
  }

  waitForRecord(pred: (r: LogRecord) => boolean, options: WaitOptions = {}): Promise<LogRecord> {
    return waitUntil(() => {
      if (this.exit && !this.records.some(pred)) throw new Error(`fortros-init exited (${JSON.stringify(this.exit)}) before ${options.what ?? 'the record'}\n${this.tail()}`);
      return this.records.find(pred);
    }, options);
  }

  /** Wait until `service` enters `state` (the first time after `afterIndex` records, if given). */
  waitForState(service: string, state: string, options: WaitOptions & { afterIndex?: number; reason?: RegExp } = {}): Promise<LogRecord> {
    const from = options.afterIndex ?? 0;
    return this.waitForRecord(
      (r) => r.msg === 'service state' && r.service === service && r.to === state && this.records.indexOf(r) >= from && (!options.reason || options.reason.test(String(r.reason ?? ''))),
      { what: `${service} to be ${state}${options.reason ? ` (${options.reason})` : ''}`, ...options },
    );
  }

  /** Send SIGUSR1 and return the status record of each service logged in answer. */
  async status(options: WaitOptions = {}): Promise<Map<string, LogRecord>> {
    const from = this.records.length;
    this.child.kill('SIGUSR1');
    await this.waitForRecord((r) => r.msg === 'status done' && this.records.indexOf(r) >= from, { what: 'a status dump', ...options });
    return new Map(this.records.slice(from).filter((r) => r.msg === 'status').map((r) => [String(r.service), r]));
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(sig);
  }

  /** Wait until init exited and its output was read to the end (every record it wrote is in `records`). */
  async waitForExit(options: WaitOptions = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await waitUntil(() => this.exit !== undefined, { what: 'fortros-init to exit', ...options });
    return this.exit!;
  }

  tail(n = 30): string {
    return this.records.slice(-n).map((r) => JSON.stringify(r)).join('\n');
  }

  /** SIGTERM, wait, then SIGKILL by pid; remove the root. Safe to call twice. */
  async cleanup(): Promise<void> {
    live.delete(this);
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const killed = await Promise.race([this.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), CLEANUP_TERM_GRACE_MS))]);
      if (!killed) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    await rm(this.root, { recursive: true, force: true });
  }
}

const live = new Set<InitProcess>();

/** Clean up every init started by a test, pass or fail; call once at the top of a describe(). */
export function cleanupAfterEach(): void {
  afterEach(async function () {
    this.timeout(CLEANUP_TERM_GRACE_MS + DEFAULT_WAIT_MS);
    await Promise.all([...live].map((i) => i.cleanup()));
  });
}
