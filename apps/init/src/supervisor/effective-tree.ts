// The tree the supervisor's edges come from after a rescan: the latest load, plus the old definitions of
// services that are removed or failed to load but are not down yet (they keep running until they stop). Pure.
import type { CompiledTree, ServiceDefinition } from '@fortros/servicedir';

/** A definition kept past a rescan, with the atomic dependencies (bundles: members) it had. */
export interface KeptDefinition {
  def: ServiceDefinition;
  deps: readonly string[];
}

/**
 * `latest` with every `kept` service added under its old definition. A kept service keeps only its edges to
 * atomic services still defined (loaded or kept), never to a bundle or a load failure: a loaded service never
 * depends on a kept one (the loader fails what depends on a missing or failed service), so the result stays
 * acyclic, and every closure over it stays defined.
 */
export function effectiveTree(latest: CompiledTree, kept: ReadonlyMap<string, KeptDefinition>): CompiledTree {
  if (kept.size === 0) return latest;
  const services = new Map(latest.services);
  const failed = new Map([...latest.failed].filter(([name]) => !kept.has(name)));
  const atomic = new Set<string>();
  for (const def of latest.services.values()) if (def.type !== 'bundle') atomic.add(def.name);
  for (const [name, k] of kept) if (k.def.type !== 'bundle') atomic.add(name);
  for (const [name, k] of kept) {
    const deps = k.deps.filter((d) => d !== name && atomic.has(d));
    services.set(name, k.def.type === 'bundle' ? { ...k.def, contents: deps, dependencies: [] } : { ...k.def, dependencies: deps });
  }
  return { ...latest, services, failed };
}
