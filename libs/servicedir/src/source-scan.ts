// Scans the source directories (like s6-rc-compile's arguments) for service directories: skips hidden entries
// and non-directories, and reports unreadable sources, bad names, duplicates and the MAX_SERVICES bound.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SERVICES, SERVICE_NAME_PATTERN_TEXT } from './constants.js';
import { describeProbe, probe, quote } from './fs-probe.js';
import { isValidServiceName } from './names.js';
import type { LoadProblem } from './types.js';

export interface SourceScan {
  /** Service (and template) directories by name: each name once, valid, within bounds. */
  dirs: Map<string, string>;
  /** Names that cannot be used at all: bad names and duplicates. */
  failed: Map<string, LoadProblem[]>;
  /** Tree-level problems: unreadable sources, too many services. */
  problems: LoadProblem[];
}

function addFailure(failed: Map<string, LoadProblem[]>, problem: LoadProblem & { service: string }): void {
  const list = failed.get(problem.service);
  if (list) list.push(problem);
  else failed.set(problem.service, [problem]);
}

/** Visible sub-directories of a source (symlinks followed), sorted by name. */
function listSource(source: string, problems: LoadProblem[]): string[] {
  const p = probe(source);
  if (p.kind !== 'dir') {
    problems.push({ path: source, message: `expected a readable directory of services, got ${describeProbe(p)}` });
    return [];
  }
  try {
    const entries = readdirSync(source, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
    const dirs: string[] = [];
    for (const e of entries) {
      // s6-rc-compile ignores everything that is not a directory
      if (e.isDirectory() || (e.isSymbolicLink() && probe(join(source, e.name)).kind === 'dir')) dirs.push(e.name);
    }
    return dirs.sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    problems.push({ path: source, message: `expected a readable directory of services, got ${code}` });
    return [];
  }
}

export function scanSources(sources: string[], signal?: AbortSignal): SourceScan {
  const scan: SourceScan = { dirs: new Map(), failed: new Map(), problems: [] };
  let count = 0;
  let overflow = 0;
  for (const source of sources) {
    signal?.throwIfAborted();
    for (const entry of listSource(source, scan.problems)) {
      const dir = join(source, entry);
      if (!isValidServiceName(entry)) {
        const message = `expected a service name matching ${SERVICE_NAME_PATTERN_TEXT}, got ${quote(entry)}`;
        addFailure(scan.failed, { service: entry, path: dir, message });
        continue;
      }
      const first = scan.dirs.get(entry);
      if (first !== undefined || scan.failed.has(entry)) {
        const earlier = first ?? scan.failed.get(entry)?.[0]?.path ?? '';
        addFailure(scan.failed, { service: entry, path: dir, message: `duplicate name "${entry}": also defined at ${earlier}` });
        scan.dirs.delete(entry);
        continue;
      }
      if (count >= MAX_SERVICES) {
        overflow++;
        continue;
      }
      count++;
      scan.dirs.set(entry, dir);
    }
  }
  if (overflow > 0) {
    scan.problems.push({
      path: sources.join(', '),
      message: `expected at most ${MAX_SERVICES} services, got ${count + overflow}; ignored ${overflow} (the last by name)`,
    });
  }
  return scan;
}
