// Runs wg and ip through execa, optionally inside a network namespace (`ip netns exec NS …`), with a bounded
// timeout; failures become WgCommandError/WgTimeoutError naming the interface, the command and its stderr.
// Secrets go through a 0600 file in a fresh 0700 directory, removed at once (withSecretFile), so they are never on a
// command line or in an error. (/dev/stdin does not work: node's stdio pipes are sockets, which wg cannot fopen.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { COMMAND_TIMEOUT_MS, MAX_STDERR_BYTES } from './constants.js';
import { WgCommandError, WgTimeoutError } from './errors.js';
import { checkNetns } from './validate.js';

export interface CommandSpec {
  /** The interface the command is about (for errors). */
  interfaceName: string;
  netns?: string | undefined;
  file: string;
  args: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** The argv that runs `file args` in `netns` (or in this namespace when netns is undefined). */
export function inNetns(netns: string | undefined, file: string, args: readonly string[]): [string, string[]] {
  return netns === undefined ? [file, [...args]] : ['ip', ['netns', 'exec', checkNetns(netns), file, ...args]];
}

export function describe(file: string, args: readonly string[]): string {
  return [file, ...args].join(' ');
}

/** Run one command and return its stdout; throws WgCommandError or WgTimeoutError. */
export async function runCommand(spec: CommandSpec): Promise<string> {
  const [file, args] = inNetns(spec.netns, spec.file, spec.args);
  const timeoutMs = spec.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const result = await execa(file, args, {
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 8 * 1024 * 1024,
    env: { LC_ALL: 'C' },
    ...(spec.signal ? { cancelSignal: spec.signal } : {}),
  });
  const command = describe(file, args);
  if (result.timedOut) throw new WgTimeoutError(spec.interfaceName, command, timeoutMs);
  if (result.failed) {
    const stderr = String(result.stderr ?? '').slice(0, MAX_STDERR_BYTES);
    throw new WgCommandError(spec.interfaceName, command, result.exitCode, stderr || (result.isCanceled ? 'cancelled' : result.shortMessage ?? ''));
  }
  return String(result.stdout ?? '');
}

/** Write `secret` to a new 0600 file in a new 0700 directory, run `fn` with its path, then remove both. */
export async function withSecretFile<T>(secret: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fortros-wg-'));
  try {
    const path = join(dir, 'key');
    await writeFile(path, secret, { mode: 0o600, flag: 'wx' });
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
