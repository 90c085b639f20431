// What the benchmark needs of each supervisor: lay a set of services out its way, say how to start and stop it, and
// read what its own output says about a boot.
import { accessSync, constants as fsConstants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { LaunchSpec } from '../processes.js';

/** One service: its name and the service it waits for (the chain), if any. */
export interface ServiceDef {
  name: string;
  after?: string;
}

/** One boot's directory and its stamp directory (see stamps.ts). */
export interface RunDirs {
  dir: string;
  stamps: string;
}

export interface Peer {
  readonly name: string;
  /** Why a dependency chain is not measured for this peer, when it cannot express one. */
  readonly noChain?: string;
  /** Why it cannot run on this machine (a binary missing), if it cannot. */
  missing(): string | undefined;
  /** Writes the services under run.dir and says how to start the supervisor. */
  prepare(run: RunDirs, services: readonly ServiceDef[]): Promise<LaunchSpec>;
  /** Dependency waits that failed and were retried by the supervisor, counted from its stderr. */
  retries?(lines: readonly string[]): number;
  /** Extra figures from the supervisor's own records of a boot that started at t0 (called after it stopped). */
  analyse?(run: RunDirs, lines: readonly string[], t0: bigint, services: readonly ServiceDef[]): Promise<Record<string, number>>;
  /** Extra figures asked of the running supervisor once every service has started. */
  whileUp?(run: RunDirs, services: readonly ServiceDef[]): Promise<Record<string, number>>;
}

/** The absolute path of an executable on $PATH, or undefined (no `which` process). */
export function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), fsConstants.X_OK);
      return join(dir, bin);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** "not installed: x, y (Debian package p)" when a binary is missing. */
export function missingBinaries(bins: readonly string[], debianPackage: string): string | undefined {
  const gone = bins.filter((b) => onPath(b) === undefined);
  return gone.length ? `not installed: ${gone.join(', ')} (Debian package ${debianPackage})` : undefined;
}

/** Arithmetic mean, NaN for none. */
export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
