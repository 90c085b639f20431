// The node tree of examples/node as `npm start` boots it: its real service directories copied into a test root,
// the repo's bins found by name on PATH (as npm puts node_modules/.bin there), and settings given by environment.
import { cp, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_PATHS } from '@fortros/core';

/** examples/node/services of this checkout. */
export const EXAMPLE_SERVICES = fileURLToPath(new URL('../../examples/node/services', import.meta.url));
/** Where npm links the repo's bins (fortros-init, fortctl, fortros-maintainer, …). */
export const REPO_BIN = fileURLToPath(new URL('../../node_modules/.bin', import.meta.url));

/** The service names of examples/node (every directory of its tree). */
export async function exampleServiceNames(): Promise<string[]> {
  return (await readdir(EXAMPLE_SERVICES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** Copy `names` (default: all) of examples/node's service directories into `root`'s service tree, modes kept. */
export async function copyExampleServices(root: string, names?: readonly string[]): Promise<void> {
  for (const name of names ?? (await exampleServiceNames())) {
    await cp(join(EXAMPLE_SERVICES, name), join(root, NODE_PATHS.servicesDir, name), { recursive: true, force: true });
  }
}

/**
 * A command prefix for InitProcess's `wrap`: `env` with the repo's bins (and this Node) first on PATH and `vars` set,
 * exec'ing init so its pid stays the one the test holds (argv, no shell: values are taken as they are).
 */
export function exampleEnv(vars: Record<string, string> = {}): string[] {
  const path = [REPO_BIN, join(process.execPath, '..'), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter);
  return ['env', `PATH=${path}`, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)];
}
