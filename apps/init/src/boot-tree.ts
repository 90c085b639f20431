// Loading the tree at boot and on each rescan: tree-level problems logged, and a bundle to boot that is missing
// is recorded as a failed service of that name, so `fortctl status BUNDLE` says why nothing was started.
import type { Logger } from '@fortros/log';
import { loadServiceTree, type CompiledTree } from '@fortros/servicedir';
import { MissingBundleError } from './errors.js';

export async function loadBootTree(sources: string[], bundle: string, log: Logger): Promise<CompiledTree> {
  const tree = await loadServiceTree(sources);
  for (const p of tree.problems) log.error('service tree problem', { path: p.path, message: p.message });
  if (!tree.services.has(bundle) && !tree.failed.has(bundle)) {
    const message = new MissingBundleError(bundle, sources.join(', ')).message;
    tree.failed.set(bundle, [{ service: bundle, path: sources[0] ?? '', message }]);
  }
  return tree;
}

/** Why `bundle` cannot be booted from `tree` (every problem, `path: message`), or undefined when it can. */
export function whyNotBootable(tree: CompiledTree, bundle: string): string | undefined {
  if (tree.services.has(bundle)) return undefined;
  return (tree.failed.get(bundle) ?? []).map((p) => `${p.path}: ${p.message}`).join('; ');
}
