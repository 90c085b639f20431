// wireguard-go as a child process: spawned in the foreground (`-f`), inside the namespace if one is given; waited
// for until its interface and control socket exist; its exit observable, its output kept bounded.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { MAX_STDERR_BYTES, USERSPACE_EXIT_TIMEOUT_MS, USERSPACE_POLL_MS, USERSPACE_SOCKET_DIR, USERSPACE_START_TIMEOUT_MS } from './constants.js';
import { UserspaceStartError } from './errors.js';
import { inNetns } from './exec.js';

export interface UserspaceExit {
  code: number | undefined;
  signal: string | undefined;
}

/** The control socket wireguard-go makes for interface `name`. */
export function userspaceSocketPath(name: string): string {
  return join(USERSPACE_SOCKET_DIR, `${name}.sock`);
}

export class UserspaceProcess {
  /** Resolves (never rejects) when wireguard-go has exited. */
  readonly exited: Promise<UserspaceExit>;
  exit: UserspaceExit | undefined;
  private out = '';

  private constructor(
    readonly name: string,
    private readonly child: ResultPromise,
  ) {
    const keep = (chunk: Buffer | string): void => {
      this.out = (this.out + String(chunk)).slice(-MAX_STDERR_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = child.then(
      (r) => r,
      (r: { exitCode?: number; signal?: string }) => r,
    ).then((r) => (this.exit = { code: r.exitCode ?? undefined, signal: r.signal ?? undefined }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Bounded recent output (the banner, errors), for diagnostics. */
  get output(): string {
    return this.out;
  }

  /** Spawn `wireguard-go -f name` and wait until the interface and its control socket exist. */
  static async start(name: string, netns: string | undefined, options: { timeoutMs?: number; interfaceExists: () => Promise<boolean> }): Promise<UserspaceProcess> {
    const [file, args] = inNetns(netns, 'wireguard-go', ['-f', name]);
    const child = execa(file, args, { reject: false, stdin: 'ignore', buffer: false, env: { LOG_LEVEL: 'error' } });
    const proc = new UserspaceProcess(name, child);
    const deadline = Date.now() + (options.timeoutMs ?? USERSPACE_START_TIMEOUT_MS);
    for (;;) {
      if (proc.exit) throw new UserspaceStartError(name, `it exited (code ${proc.exit.code ?? 'none'}, signal ${proc.exit.signal ?? 'none'})`, proc.out);
      if (existsSync(userspaceSocketPath(name)) && (await options.interfaceExists())) return proc;
      if (Date.now() > deadline) {
        await proc.kill();
        throw new UserspaceStartError(name, `not there after ${options.timeoutMs ?? USERSPACE_START_TIMEOUT_MS} ms`, proc.out);
      }
      await new Promise((r) => setTimeout(r, USERSPACE_POLL_MS));
    }
  }

  /** Wait for the exit up to `timeoutMs`, then SIGKILL; remove a control socket left behind. */
  async stop(timeoutMs = USERSPACE_EXIT_TIMEOUT_MS): Promise<UserspaceExit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)));
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (first === 'late') return this.kill();
    this.removeSocket();
    return first;
  }

  /** SIGKILL and wait for the exit; remove a control socket left behind. */
  async kill(): Promise<UserspaceExit> {
    if (!this.exit) this.child.kill('SIGKILL');
    const exit = await this.exited;
    this.removeSocket();
    return exit;
  }

  private removeSocket(): void {
    rmSync(userspaceSocketPath(this.name), { force: true });
  }
}
