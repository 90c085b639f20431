// Reconciler fixtures: one node under the real fortros-init (maintainer `--mesh none` on a free loopback port, key
// service, reconciler, the workloads-drain oneshot), workload specs, and fortctl's views of them.
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { reconcilerServices } from '@fortros/lab';
import { fortctl } from './ctl.js';
import { keyService } from './keys.js';
import { MAINTAINER_MAIN, portFree } from './maintainer.js';
import { isAlive } from './proc.js';
import type { TreeSpec } from './tree.js';
import { waitUntil, type WaitOptions } from './wait.js';

export { DRAIN_MAIN, RECONCILER_MAIN } from '@fortros/lab';
export const NODE_NAME = 'n0';
/** A node's services get this long to become ready on a loaded machine. */
export const NODE_READY_MS = 90_000;

/** A loopback port free for TCP and UDP (the maintainer gossips on UDP and serves OrgSync on TCP). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (await portFree('127.0.0.1', port)) return port;
  }
}

/** The reconciler and the workloads-drain oneshot of a node tree (apps/lab's, shared with lab nodes). */
export { reconcilerServices };

/** The node tree: maintainer, key-service, reconciler (ready on fd 3) and workloads-drain, in bundle `default`. */
export function reconcilerTree(port: number, options: { restartDelayMaxMs?: number } = {}): TreeSpec {
  const node = `"${process.execPath}"`;
  return {
    maintainer: {
      type: 'longrun',
      notificationFd: 3,
      run: `exec ${node} "${MAINTAINER_MAIN}" --root "$FORTROS_ROOT" --name ${NODE_NAME} --bind 127.0.0.1:${port} --mesh none --notify-fd 3 --log-format json`,
    },
    'key-service': keyService(),
    ...reconcilerServices(options),
    default: { type: 'bundle', contents: ['maintainer', 'key-service', 'reconciler', 'workloads-drain'] },
  };
}

/** A process workload on this node running `script` with /bin/sh. */
export function shWorkload(id: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, driver: 'process', command: '/bin/sh', args: ['-c', script], restart: 'always', placement: { nodes: [NODE_NAME] }, ...extra };
}

export interface WorkloadJson {
  workload: string;
  node: string;
  phase: string;
  pid: number | null;
  restarts: number;
  since: string;
  lastExit: { code: number | null; signal: string | null } | null;
  reason: string;
}

/** `fortctl workload put FILE` of a spec (written under the root); throws with fortctl's output when it fails. */
export async function putWorkload(root: string, spec: Record<string, unknown>): Promise<void> {
  const file = join(root, `spec-${String(spec['id'])}.json`);
  await writeFile(file, JSON.stringify(spec));
  const r = await fortctl(root, ['workload', 'put', file]);
  if (r.code !== 0) throw new Error(`workload put ${String(spec['id'])}: exit ${r.code}: ${r.stderr}`);
}

/** `fortctl workloads --json` (this node's observed workloads), or undefined while the reconciler is unreachable. */
export async function workloads(root: string, all = false): Promise<WorkloadJson[] | undefined> {
  const r = await fortctl(root, ['workloads', '--json', ...(all ? ['--all'] : [])]);
  if (r.code === 3) return undefined;
  if (r.code !== 0) throw new Error(`fortctl workloads: exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as WorkloadJson[];
}

/** Poll `fortctl workloads` until `pred` holds for workload `id`; returns it. */
export function waitWorkload(root: string, id: string, pred: (w: WorkloadJson) => boolean, options: WaitOptions = {}): Promise<WorkloadJson> {
  let last: WorkloadJson | undefined;
  return waitUntil(
    async () => {
      last = (await workloads(root))?.find((w) => w.workload === id);
      return last !== undefined && pred(last) ? last : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, ...options, what: `${options.what ?? `workload ${id}`} (last seen: ${JSON.stringify(last)})` },
  );
}

/** The session id of a process (field 6 of /proc/PID/stat), undefined once it is gone. */
function sessionOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  } catch {
    return undefined;
  }
}

/**
 * Live workload main processes running `/bin/sh -c SCRIPT` with `marker` in SCRIPT: session leaders (every workload
 * leads its own session), so neither the anchor nor a shell's child between fork and exec is counted.
 */
export function shProcesses(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const pid = Number(name);
    if (argv[0] === '/bin/sh' && argv[1] === '-c' && argv[2]?.includes(marker) && isAlive(pid) && sessionOf(pid) === pid) out.push(pid);
  }
  return out;
}
