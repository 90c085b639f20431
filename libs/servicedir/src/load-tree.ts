// loadServiceTree: reads one or more s6-rc source directories and compiles them into a CompiledTree.
import { resolve } from 'node:path';
import { compileTree } from './compile-tree.js';
import { NoSourceDirectoryError } from './errors.js';
import { isTemplateName } from './names.js';
import { readServiceDir, type ParsedService } from './service-reader.js';
import { scanSources } from './source-scan.js';
import type { CompiledTree } from './types.js';

export interface LoadOptions {
  signal?: AbortSignal;
}

/**
 * Load a service tree. A bad service never throws: its problems land in `failed`, and so do the services that
 * depend on it; the rest of the tree loads. Only an abort (`signal`) or an empty `sources` list throws.
 */
export async function loadServiceTree(sources: string[] | string, options: LoadOptions = {}): Promise<CompiledTree> {
  const { signal } = options;
  const dirs = (typeof sources === 'string' ? [sources] : sources).map((s) => resolve(s));
  if (dirs.length === 0) throw new NoSourceDirectoryError();
  signal?.throwIfAborted();
  const scan = scanSources(dirs, signal);

  const entries = [...scan.dirs];
  const read = entries.map(([name, dir]) => {
    signal?.throwIfAborted();
    return readServiceDir(dir, name);
  });

  const parsed = new Map<string, ParsedService>();
  const templates = new Map<string, ParsedService>();
  entries.forEach(([name], i) => (isTemplateName(name) ? templates : parsed).set(name, read[i]!));
  return compileTree({ sources: dirs, parsed, templates, failed: scan.failed, problems: scan.problems });
}
