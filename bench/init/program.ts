// The service every peer supervises (one sh script, the same lines for all) and the bare runs with no supervisor:
// those scripts run one after the other (the program's own cost per hop), or all at once (the flat boot's floor).
import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICE_SLEEP_S } from './constants.js';
import { type Clock, firstStamps, readStamps, waitFor } from './stamps.js';

/** The environment variable that marks every process of one run (the sweep kills what carries it, by pid). */
export const MARKER_ENV = 'FORTROS_BENCH_INIT_RUN';

export interface ProgramOptions {
  /** Directory of the stamp files: the program appends `<CLOCK_REALTIME ns> <pid>` to `<stamps>/<name>`. */
  stamps: string;
  name: string;
  /** Write a newline on fd 3 after the stamp (fortros-init and s6: `notification-fd` 3). */
  notify: boolean;
  /** The peer's way of waiting for the predecessor, run first (s6-svwait, sv check); none for fortros-init. */
  waitLine?: string;
}

/**
 * `#!/bin/sh`, the optional dependency wait, then the program: stamp, notify, sleep. `$$` is the supervised pid,
 * as the script ends in `exec sleep`. With BENCH_ONCE set (the bare chain) it exits after the stamp.
 */
export function programScript(o: ProgramOptions): string {
  const lines = ['#!/bin/sh'];
  if (o.waitLine) lines.push(o.waitLine);
  lines.push(`echo "$(date +%s%N) $$" >> '${join(o.stamps, o.name)}'`);
  if (o.notify) lines.push('echo >&3; exec 3>&-');
  lines.push('[ -n "$BENCH_ONCE" ] && exit 0', `exec sleep ${SERVICE_SLEEP_S}`, '');
  return lines.join('\n');
}

export async function writeExecutable(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  await chmod(path, 0o755);
}

/**
 * The chain with no supervisor: one `sh` runs the N programs (the notify variant, fd 3 open on /dev/null) one after
 * the other. Returns ms from just before the spawn until the last program's stamp.
 */
export function bareChain(dir: string, n: number, clock: Clock, marker: string): Promise<number> {
  return bareRun(dir, n, clock, marker, 'chain');
}

/**
 * The flat set with no supervisor: one `sh` starts the N programs at once (`&`) and waits for them. Returns ms from
 * just before the spawn until the last program's stamp: what the programs cost on this machine when nothing but a
 * shell starts them, the floor under every peer's flat boot.
 */
export function bareFlat(dir: string, n: number, clock: Clock, marker: string): Promise<number> {
  return bareRun(dir, n, clock, marker, 'flat');
}

async function bareRun(dir: string, n: number, clock: Clock, marker: string, shape: 'chain' | 'flat'): Promise<number> {
  const stamps = join(dir, 'stamps');
  await mkdir(stamps, { recursive: true });
  const scripts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const path = join(dir, `s${i}.sh`);
    await writeExecutable(path, programScript({ stamps, name: `s${i}`, notify: true }));
    scripts.push(`'${path}'`);
  }
  const loop = shape === 'chain' ? 'do "$f" || exit 1; done' : 'do "$f" & done; wait';
  const driver = `exec 3>/dev/null; for f in ${scripts.join(' ')}; ${loop}`;
  const t0 = clock();
  const child = spawn('/bin/sh', ['-c', driver], { stdio: 'ignore', env: { ...process.env, BENCH_ONCE: '1', [MARKER_ENV]: marker } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  const names = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  const last = await waitFor({
    dir: stamps,
    what: `bare ${shape} of ${n}`,
    check: async () => {
      if (shape === 'chain') return (await readStamps(stamps, `s${n}`))[0];
      const all = await firstStamps(stamps, names);
      return all?.reduce((a, b) => (b.ns > a.ns ? b : a));
    },
    failed: () => (exitCode !== undefined && exitCode !== 0 ? `the driver exited with ${exitCode}` : undefined),
  });
  await exited;
  return Number(last.ns - t0) / 1e6;
}
