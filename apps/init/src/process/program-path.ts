// Finding a program by name in a PATH, as execvp does, for the helpers init runs by name (execlineb).
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SpawnError } from '../errors.js';

/** PATH when the environment has none (glibc's default for execvp). */
export const DEFAULT_PATH = '/bin:/usr/bin';

/** The absolute path of the first executable regular file `name` in `path`; throws SpawnError naming `why`. */
export function findProgram(name: string, path: string | undefined, why: string): string {
  if (isAbsolute(name)) return name;
  const dirs = (path ?? DEFAULT_PATH).split(':').map((d) => (d === '' ? '.' : d));
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, fsConstants.X_OK);
      return file;
    } catch {
      /* not here: the next directory */
    }
  }
  throw new SpawnError(name, `not found in PATH ${JSON.stringify(path ?? DEFAULT_PATH)} (${why})`);
}
