// fortros-init as a peer: an s6-rc source tree under a temp root (longruns with notification-fd 3 and a
// `dependencies` file), booted by apps/init/bin/fortros-init.js (the bundle, with the bin's node flags) with its JSON
// records on stderr, which give the breakdown.
import { NODE_PATHS } from '@fortros/core';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { programScript, writeExecutable } from '../program.js';
import type { LaunchSpec } from '../processes.js';
import { mean, type Peer, type RunDirs, type ServiceDef } from './peer.js';
import { INIT_MAIN } from '@fortros/lab';

export { INIT_MAIN }; // where the built program is: @fortros/lab names every one (apps/lab/src/binaries.ts)
/** What an operator runs: its shebang gives node the flags init is meant to run with. */
export const INIT_BIN = fileURLToPath(new URL('../../../apps/init/bin/fortros-init.js', import.meta.url));

interface StateRecord {
  service: string;
  to: string;
  ms: number;
  reason: string;
}

/** Boot milestones: init's first record (its imports are done), the tree loaded, the control API serving. */
const MILESTONES: Record<string, string> = { 'loading the service tree': 'imported', 'service tree loaded': 'loaded', serving: 'API serving' };

/** `service state` records (component init:supervisor) and the milestones, as ms since the epoch. */
function stateRecords(lines: readonly string[]): { states: StateRecord[]; milestones: Map<string, number> } {
  const states: StateRecord[] = [];
  const milestones = new Map<string, number>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let rec: { msg?: string; time?: string; service?: string; to?: string; reason?: string };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      continue;
    }
    const ms = Date.parse(rec.time ?? '');
    if (Number.isNaN(ms)) continue;
    const milestone = MILESTONES[rec.msg ?? ''];
    if (milestone && !milestones.has(milestone)) milestones.set(milestone, ms);
    if (rec.msg === 'service state' && rec.service && rec.to) states.push({ service: rec.service, to: rec.to, ms, reason: rec.reason ?? '' });
  }
  return { states, milestones };
}

export const fortrosInit: Peer = {
  name: 'fortros-init',

  missing: () => (existsSync(INIT_MAIN) ? undefined : `${INIT_MAIN} is missing: build first (NX_DAEMON=false npx nx run @fortros/init:build)`),

  async prepare(run: RunDirs, services: readonly ServiceDef[]): Promise<LaunchSpec> {
    const root = join(run.dir, 'root');
    const tree = join(root, NODE_PATHS.servicesDir);
    for (const s of services) {
      const d = join(tree, s.name);
      await mkdir(d, { recursive: true });
      await writeFile(join(d, 'type'), 'longrun\n');
      await writeFile(join(d, 'notification-fd'), '3\n');
      if (s.after) await writeFile(join(d, 'dependencies'), `${s.after}\n`);
      await writeExecutable(join(d, 'run'), programScript({ stamps: run.stamps, name: s.name, notify: true }));
    }
    await mkdir(join(tree, 'default'), { recursive: true });
    await writeFile(join(tree, 'default/type'), 'bundle\n');
    await writeFile(join(tree, 'default/contents'), services.map((s) => `${s.name}\n`).join(''));
    return { file: INIT_BIN, args: ['--root', root, '--log', 'stderr', '--log-format', 'json'], cwd: run.dir, stopSignal: 'SIGTERM' };
  },

  /**
   * From init's own records (ms resolution), since its spawn: `imported` = its first record (Node's start and the
   * imports), `loaded` = the tree read, `API serving` = the control socket up, `first starting` = the first service
   * spawned; `react` = a dependency's `ready` record → its dependent's `starting` record (the supervisor's turn
   * around); `spawn→ready` = `starting` → `ready` of one service (fork/exec, the program, the readiness pipe);
   * `last ready` = spawn → the last `ready` record; `first→last starting` (no dependencies) = how long init took to
   * spawn them all, one after the other on its event loop; `backoff #k` = the delay init scheduled after the k-th crash
   * (its `backoff` record's "restart at" minus the record's time).
   */
  async analyse(_run, lines, t0, services) {
    const { states, milestones } = stateRecords(lines);
    const at = (service: string, to: string): number | undefined => states.find((r) => r.service === service && r.to === to)?.ms;
    const t0Ms = Number(t0 / 1_000_000n);
    const react: number[] = [];
    const spawnReady: number[] = [];
    let lastReady = NaN;
    for (const s of services) {
      const starting = at(s.name, 'starting');
      const ready = at(s.name, 'ready');
      if (starting !== undefined && ready !== undefined) spawnReady.push(ready - starting);
      if (ready !== undefined) lastReady = Number.isNaN(lastReady) ? ready : Math.max(lastReady, ready);
      const depReady = s.after ? at(s.after, 'ready') : undefined;
      if (starting !== undefined && depReady !== undefined) react.push(starting - depReady);
    }
    const out: Record<string, number> = { 'spawn→ready': mean(spawnReady), 'last ready': lastReady - t0Ms };
    const startings = services.map((x) => at(x.name, 'starting')).filter((ms) => ms !== undefined); // each one's first
    if (services.every((x) => !x.after) && startings.length > 1) out['first→last starting'] = Math.max(...startings) - Math.min(...startings);
    const backoffs = states.filter((r) => r.to === 'backoff').map((r) => Date.parse(/restart at (\S+)/.exec(r.reason)?.[1] ?? '') - r.ms);
    backoffs.forEach((ms, k) => (out[`backoff #${k + 1}`] = ms));
    for (const [name, ms] of milestones) out[name] = ms - t0Ms;
    if (startings.length) out['first starting'] = Math.min(...startings) - t0Ms;
    if (react.length) out.react = mean(react);
    return out;
  },
};
