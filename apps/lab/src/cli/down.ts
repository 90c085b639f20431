// `fortros-lab down`: remove everything a lab made (inits stopped, leftovers killed by pid, namespaces, wireguard-go
// sockets, the state directory), from its state file or, for a half-made lab, from what exists under its name.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { run } from '@fortros/netlab';
import { LabNotFoundError } from '../errors.js';
import { killNamespace, stopInit } from '../node-process.js';
import { chooseLab, initRuns, type CliContext } from './context.js';
import { labLeftovers } from './leftovers.js';
import { labDir, readState, type LabState } from './state.js';

/** What down removed, for its report. */
export interface DownReport {
  inits: number;
  killed: number;
  namespaces: string[];
  sockets: string[];
  stateDir: string | undefined;
}

/** Remove lab `name` (its state may be missing or partial: what exists under the name is removed too). */
export async function removeLab(base: string, name: string, state: LabState | undefined): Promise<DownReport> {
  const nodes = state?.nodes ?? [];
  // inits first, gracefully and all at once: each drains its workloads (some drivers run them outside the namespace)
  const running = nodes.filter(initRuns);
  await Promise.all(running.map((n) => stopInit(n.pid)));
  const found = await labLeftovers(name);
  let killed = 0;
  for (const ns of found.namespaces) killed += (await killNamespace(ns, `namespace ${ns}`).catch(() => [])).length;
  for (const ns of found.namespaces) await run('ip', ['netns', 'delete', ns]).catch(() => undefined);
  for (const s of found.sockets) await rm(s, { force: true });
  const dir = labDir(base, name);
  const hadDir = existsSync(dir);
  await rm(dir, { recursive: true, force: true });
  return { inits: running.length, killed, namespaces: found.namespaces, sockets: found.sockets, stateDir: hadDir ? dir : undefined };
}

export async function down(ctx: CliContext, nameFlag: string | undefined): Promise<number> {
  const name = chooseLab(ctx, nameFlag);
  let state: LabState | undefined;
  try {
    state = await readState(ctx.base, name);
  } catch (err) {
    // no state file: a half-made lab, or none at all (then say so)
    if (!(err instanceof LabNotFoundError)) ctx.err(`fortros-lab: ${(err as Error).message} (removing what exists under the name ${name})`);
  }
  const r = await removeLab(ctx.base, name, state);
  if (state === undefined && r.namespaces.length === 0 && r.sockets.length === 0 && r.stateDir === undefined) throw new LabNotFoundError(name, labDir(ctx.base, name));
  ctx.out(`lab ${name} removed: ${r.inits} init(s) stopped, ${r.killed} leftover process(es) killed, ${r.namespaces.length} namespace(s), ${r.sockets.length} wireguard-go socket(s)${r.stateDir ? `, state ${r.stateDir}` : ''}`);
  return 0;
}
