// Everything a lab made, so it can all be removed: processes (by pid), wireguard-go control sockets, namespaces
// (which take their links, bridges and nft tables with them). Runs on destroy, on process exit and on SIGINT/SIGTERM;
// sweep() removes what an interrupted earlier run with the same prefix left behind.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_TIMEOUT_MS, KILL_POLL_MS, KILL_WAIT_MS, WIREGUARD_SOCKET_DIR } from './constants.js';
import { alive, listNetns, run } from './exec.js';

export type CleanupItem = { kind: 'pid'; pid: number } | { kind: 'socket'; path: string } | { kind: 'netns'; name: string };

/** Processes go first, then sockets, then namespaces. */
const ORDER: Record<CleanupItem['kind'], number> = { pid: 0, socket: 1, netns: 2 };
const GUARDED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function sorted(items: readonly CleanupItem[]): CleanupItem[] {
  return [...items].reverse().sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}

function pidsIn(out: string): number[] {
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

function killNow(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

async function waitGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + KILL_WAIT_MS;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, KILL_POLL_MS));
}

/** Kill every process inside namespace `name`, then delete it. Missing namespaces are fine. */
async function removeNetns(name: string): Promise<void> {
  const pids = pidsIn(await run('ip', ['netns', 'pids', name]).catch(() => ''));
  pids.forEach(killNow);
  await waitGone(pids);
  await run('ip', ['netns', 'delete', name]).catch(() => undefined);
}

function removeNetnsSync(name: string): void {
  const r = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  pidsIn(r.stdout ?? '').forEach(killNow);
  spawnSync('ip', ['netns', 'delete', name], { timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' });
}

export class CleanupRegistry {
  private items: CleanupItem[] = [];
  private guarded = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.cleanupSync();
    this.unguard();
    process.kill(process.pid, signal);
  };
  private readonly onExit = (): void => this.cleanupSync();

  add(item: CleanupItem): void {
    this.items.push(item);
  }

  /** Forget an item someone else removed (e.g. a process that exited and was reaped). */
  forget(pred: (item: CleanupItem) => boolean): void {
    this.items = this.items.filter((i) => !pred(i));
  }

  get size(): number {
    return this.items.length;
  }

  /** Remove everything also when this process exits or gets SIGINT/SIGTERM (then re-raised). Idempotent. */
  guard(): void {
    if (this.guarded) return;
    this.guarded = true;
    for (const s of GUARDED_SIGNALS) process.once(s, this.onSignal);
    process.once('exit', this.onExit);
  }

  unguard(): void {
    if (!this.guarded) return;
    this.guarded = false;
    for (const s of GUARDED_SIGNALS) process.removeListener(s, this.onSignal);
    process.removeListener('exit', this.onExit);
  }

  /** Remove everything registered, newest first within each kind. Idempotent. */
  async cleanup(): Promise<void> {
    const items = sorted(this.items);
    this.items = [];
    const pids = items.flatMap((i) => (i.kind === 'pid' ? [i.pid] : []));
    pids.forEach(killNow);
    await waitGone(pids);
    for (const i of items) {
      if (i.kind === 'socket') rmSync(i.path, { force: true });
      else if (i.kind === 'netns') await removeNetns(i.name);
    }
    this.unguard();
  }

  /** The same, synchronously, for the exit and signal paths. */
  cleanupSync(): void {
    const items = sorted(this.items);
    this.items = [];
    for (const i of items) {
      if (i.kind === 'pid') killNow(i.pid);
      else if (i.kind === 'socket') rmSync(i.path, { force: true });
      else removeNetnsSync(i.name);
    }
  }
}

/** Remove the leftovers of an earlier run with `prefix`: its namespaces (and what runs in them) and its sockets. */
export async function sweep(prefix: string): Promise<{ namespaces: string[]; sockets: string[] }> {
  const namespaces = (await listNetns()).filter((n) => n.startsWith(`${prefix}-`));
  for (const n of namespaces) await removeNetns(n);
  let sockets: string[] = [];
  try {
    sockets = readdirSync(WIREGUARD_SOCKET_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.sock'));
  } catch {
    /* no socket directory: nothing to sweep */
  }
  for (const s of sockets) rmSync(join(WIREGUARD_SOCKET_DIR, s), { force: true });
  return { namespaces, sockets };
}
