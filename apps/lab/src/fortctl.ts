// fortctl against one node root, as a child process: its output and exit code, or FortctlFailedError for callers that need success.
import { execa } from 'execa';
import { FORTCTL_MAIN } from './binaries.js';
import { FORTCTL_TIMEOUT_MS, TOKEN_LINES } from './constants.js';
import { FortctlFailedError } from './errors.js';

export interface CtlResult {
  /** undefined when fortctl was killed (timeout). */
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** `fortctl --root ROOT ARGS…`; FORTROS_ROOT of the caller never leaks in. Killed by pid past `timeoutMs`. */
export async function ctl(root: string, args: readonly string[], timeoutMs = FORTCTL_TIMEOUT_MS): Promise<CtlResult> {
  const r = await execa(process.execPath, [FORTCTL_MAIN, '--root', root, ...args], {
    reject: false,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdin: 'ignore',
    env: { FORTROS_ROOT: undefined },
  });
  return { code: r.exitCode, stdout: String(r.stdout ?? ''), stderr: r.timedOut ? `still running after ${timeoutMs} ms` : String(r.stderr ?? '') };
}

/** Like ctl, but a non-zero exit throws FortctlFailedError naming `node`; returns stdout. */
export async function ctlOk(node: string, root: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await ctl(root, args, timeoutMs);
  if (r.code !== 0) throw new FortctlFailedError(node, args, r.code, r.stderr);
  return r.stdout;
}

/** `fortctl node --json`: what a node says about itself. */
export interface NodeJson {
  id: string;
  name: string;
  address: string;
  overlayIp: string;
  publicKey: string;
  ready: boolean;
  orgId: string;
  liveMembers: number;
  stats: Record<string, number>;
}

export async function nodeInfo(node: string, root: string, timeoutMs?: number): Promise<NodeJson> {
  return JSON.parse(await ctlOk(node, root, ['node', '--json'], timeoutMs)) as NodeJson;
}

/** `fortctl org token create`: the one line it prints. */
export async function createToken(node: string, root: string, args: readonly string[] = []): Promise<string> {
  const lines = (await ctlOk(node, root, ['org', 'token', 'create', ...args])).split('\n').filter((l) => l !== '');
  if (lines.length !== TOKEN_LINES) throw new FortctlFailedError(node, ['org', 'token', 'create'], 0, `printed ${lines.length} lines, expected ${TOKEN_LINES}`);
  return lines[0]!;
}
