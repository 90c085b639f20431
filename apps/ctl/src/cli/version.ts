// fortctl's version: the one apps/ctl/package.json declares, read only when asked.
import { readFileSync } from 'node:fs';

/** `0.1.0`. */
export function fortctlVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
