// What every fortros-lab command gets: where the labs' state lives, where to print, and a hook for interruption.
import { readFileSync } from 'node:fs';
import { alive } from '@fortros/netlab';
import { INIT_MAIN } from '../binaries.js';
import { NoLabChosenError } from '../errors.js';
import { listLabs, type NodeState } from './state.js';

export interface CliContext {
  /** The base directory of the labs' state. */
  base: string;
  out(line: string): void;
  err(line: string): void;
  /** Run `cleanup` (then exit) if SIGINT or SIGTERM arrives while a command works; the returned function disarms it. */
  onInterrupt(cleanup: () => Promise<void>): () => void;
}

/** The lab a command is about: --name, else the only one under the base. */
export function chooseLab(ctx: CliContext, name: string | undefined): string {
  if (name !== undefined) return name;
  const labs = listLabs(ctx.base);
  if (labs.length !== 1) throw new NoLabChosenError(labs, ctx.base);
  return labs[0]!;
}

/** True when `node`'s recorded init pid is a live fortros-init on that node's root (not a recycled pid). */
export function initRuns(node: NodeState): boolean {
  if (node.pid <= 0 || !alive(node.pid)) return false;
  try {
    const argv = readFileSync(`/proc/${node.pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(INIT_MAIN) && argv.includes(node.root);
  } catch {
    return false;
  }
}
