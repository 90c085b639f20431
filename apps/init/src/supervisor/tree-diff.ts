// Rescan: what a newly loaded tree changes against the definitions the supervisor knows. Pure.
import type { CompiledTree, LoadProblem, ServiceDefinition } from '@fortros/servicedir';

/** What a rescan did, by service name (sorted). */
export interface ReloadResult {
  /** In the new tree, unknown before (loaded or not). */
  added: string[];
  /** Known before, gone from the new tree: stopped (dependents first), then dropped. */
  removed: string[];
  /** Known before and loaded now, with a different definition or script file: taken at the next start. */
  changed: string[];
  /** Every service of the new tree that failed to load, with the reason. */
  failed: Array<{ name: string; reason: string }>;
}

/** The reason a load failure is reported with: every problem, path first. */
export function describeLoadFailure(problems: readonly LoadProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'failed to load';
}

/** Stable text of a value: object keys sorted, so two equal definitions compare equal however they were built. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function sameDefinition(a: ServiceDefinition, b: ServiceDefinition): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Compare `known` (service → the latest definition the supervisor holds for it, undefined when it failed to
 * load) with `next`. `scripts` are fingerprints of the script files before and after (a `run` edited in place
 * keeps its path, so only its file tells); a service missing from either map is compared by definition only.
 */
export function diffTrees(
  known: ReadonlyMap<string, ServiceDefinition | undefined>,
  next: CompiledTree,
  scripts: { before: ReadonlyMap<string, string>; after: ReadonlyMap<string, string> },
): ReloadResult {
  const inNext = (n: string): boolean => next.services.has(n) || next.failed.has(n);
  const added = [...next.services.keys(), ...next.failed.keys()].filter((n) => !known.has(n));
  const removed = [...known.keys()].filter((n) => !inNext(n));
  const changed = [...next.services.values()]
    .filter((def) => known.has(def.name))
    .filter((def) => {
      const old = known.get(def.name);
      if (old === undefined || !sameDefinition(old, def)) return true;
      const before = scripts.before.get(def.name);
      const after = scripts.after.get(def.name);
      return before !== undefined && after !== undefined && before !== after;
    })
    .map((def) => def.name);
  const failed = [...next.failed].map(([name, problems]) => ({ name, reason: describeLoadFailure(problems) }));
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName), failed: failed.sort((a, b) => byName(a.name, b.name)) };
}
