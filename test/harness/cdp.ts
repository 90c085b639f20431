// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on fd 3, replies
// on fd 4, NUL-separated JSON): open a page, read its text, take a screenshot; killed by pid at close.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = '/usr/bin/chromium';
/** Generous: the first run on a fresh machine builds fontconfig's cache before it answers. */
const COMMAND_TIMEOUT_MS = 120_000;
/** How long chromium gets to end its own processes after SIGTERM before SIGKILL. */
const CLOSE_GRACE_MS = 5_000;

type Reply = { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string };

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private buffer = '';
  private session: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
    readonly stderr: string[],
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as Reply;
        this.buffer = this.buffer.slice(end + 1);
        const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
        if (!p) continue;
        this.pending.delete(msg.id!);
        if (msg.error) p.reject(new Error(`chromium: ${msg.error.message}`));
        else p.resolve(msg.result ?? {});
      }
    });
    child.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited; stderr:\n${this.stderr.join('')}`));
      this.pending.clear();
    });
  }

  /** `wrap` runs chromium under a command (e.g. `ip netns exec NS`, to reach a loopback address inside a namespace); it must exec chromium so the pid stays chromium's. */
  static async launch(window: { width: number; height: number }, options: { wrap?: readonly string[] } = {}): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), 'fortros-cdp-'));
    const [file, ...prefix] = [...(options.wrap ?? []), CHROMIUM];
    const child = spawn(
      file!,
      [
        ...prefix,
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--window-size=${window.width},${window.height}`,
        '--remote-debugging-pipe', 'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    const stderr: string[] = [];
    child.stderr!.on('data', (d: Buffer) => stderr.length < 200 && stderr.push(d.toString()));
    const browser = new Browser(child, profile, stderr);
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    browser.session = sessionId;
    await browser.send('Emulation.setDeviceMetricsOverride', { width: window.width, height: window.height, deviceScaleFactor: 1, mobile: false });
    return browser;
  }

  /** One DevTools command (on the page's session once attached). */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const msg = { id, method, params, ...(this.session ? { sessionId: this.session } : {}) };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`chromium: no answer to ${method} in ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(msg)}\0`);
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** The value of a JavaScript expression in the page. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T } };
    return r.result.value;
  }

  async screenshot(): Promise<Buffer> {
    const r = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(r.data, 'base64');
  }

  /**
   * SIGTERM (chromium then ends its zygote and renderers, which write to the profile too), SIGKILL if it is still
   * there after CLOSE_GRACE_MS; the profile is removed with retries, as a renderer may still be finishing a write.
   */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
