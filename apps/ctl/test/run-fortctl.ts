// Test helper: run the built fortctl (the bundle, dist/bundle/fortctl.mjs) as a child process and collect what it printed and its exit code.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const CTL_DIR = fileURLToPath(new URL('..', import.meta.url));
export const FORTCTL = fileURLToPath(new URL('../dist/bundle/fortctl.mjs', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Build dist/ (tsc is incremental) and the bundle from it, so the child runs the code under test. */
/** The bundler every app's build runs (as apps/ctl's package.json does). */
const BUNDLE_APP = fileURLToPath(new URL('../../../scripts/bundle-app.mjs', import.meta.url));

export async function buildFortctl(): Promise<void> {
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  await promisify(execFile)(process.execPath, [tsc, '-b', 'tsconfig.lib.json'], { cwd: CTL_DIR });
  await promisify(execFile)(process.execPath, [BUNDLE_APP, 'fortctl=dist/main.js'], { cwd: CTL_DIR });
  await stat(FORTCTL);
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<RunResult>;
}

export function startFortctl(args: readonly string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, [FORTCTL, ...args], { env: { ...process.env, FORTROS_ROOT: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function fortctl(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return startFortctl(args, env).done;
}

/** Poll `cond` until it holds or `timeoutMs` passes (no fixed sleeps). */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
