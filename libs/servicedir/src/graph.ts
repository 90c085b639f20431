// Pure graph helpers over a CompiledTree for the supervisor: bundle expansion, dependency closure, reverse
// dependents and a start order. Bundles have no lifecycle, so every helper answers with atomic services only.
import { DependencyCycleError, FailedServiceError, UnknownServiceError } from './errors.js';
import type { CompiledTree } from './types.js';

function checkKnown(tree: CompiledTree, name: string): void {
  if (!tree.services.has(name) && !tree.failed.has(name)) throw new UnknownServiceError(name);
}

/**
 * Bundles replaced by their atomic members, recursively; atomic names kept; first-seen order, no duplicates.
 * A failed name (atomic or bundle) is kept as-is so the caller can report it; an unknown name throws.
 */
export function expandBundles(tree: CompiledTree, names: Iterable<string>): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): void => {
    checkKnown(tree, name);
    const def = tree.services.get(name);
    if (def?.type !== 'bundle') {
      out.add(name);
      return;
    }
    if (path.includes(name)) throw new DependencyCycleError([...path.slice(path.indexOf(name)), name]);
    if (seen.has(name)) return;
    seen.add(name);
    for (const member of def.contents) walk(member, [...path, name]);
  };
  for (const name of names) walk(name, []);
  return [...out];
}

/** Direct dependencies of an atomic service, bundles expanded: what must be ready before it starts. */
export function atomicDependencies(tree: CompiledTree, name: string): string[] {
  checkKnown(tree, name);
  const def = tree.services.get(name);
  if (def === undefined || def.type === 'bundle') return [];
  return expandBundles(tree, def.dependencies);
}

/**
 * Everything that must be up for `names` to be up: the names (bundles expanded) and all their dependencies,
 * transitively, in topologicalOrder (dependencies first, ties by name). A failed member met inside a bundle is skipped (it cannot start; the
 * rest of the bundle still can); a failed service named directly throws FailedServiceError.
 */
export function dependencyClosure(tree: CompiledTree, names: Iterable<string>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new DependencyCycleError([...path.slice(path.indexOf(name)), name]);
    if (!tree.services.has(name)) throw tree.failed.has(name) ? new FailedServiceError(name) : new UnknownServiceError(name);
    state.set(name, 'visiting');
    for (const dep of atomicDependencies(tree, name)) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) {
    checkKnown(tree, name);
    if (tree.failed.has(name)) throw new FailedServiceError(name);
    for (const member of expandBundles(tree, [name])) if (tree.services.has(member)) visit(member, []);
  }
  const wanted = new Set(order);
  return topologicalOrder(tree).filter((n) => wanted.has(n)); // the tree's one start order, ties by name
}

/** Every atomic service in a start order: dependencies first, ties broken by name (deterministic). */
export function topologicalOrder(tree: CompiledTree): string[] {
  const atomic = [...tree.services.values()].filter((d) => d.type !== 'bundle').map((d) => d.name).sort();
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of atomic) {
    const deps = atomicDependencies(tree, name).filter((d) => tree.services.has(d));
    pending.set(name, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), name]);
  }
  const ready = atomic.filter((n) => pending.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(name);
    for (const d of dependents.get(name) ?? []) {
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0) insertSorted(ready, d);
    }
  }
  if (order.length < atomic.length) throw new DependencyCycleError(atomic.filter((n) => !order.includes(n)));
  return order;
}

function insertSorted(list: string[], name: string): void {
  const at = list.findIndex((n) => n > name);
  if (at === -1) list.push(name);
  else list.splice(at, 0, name);
}

/**
 * Every atomic service that depends on `name` (bundles expanded), transitively, excluding `name` itself, in
 * stop order: a service comes before everything it depends on.
 */
export function reverseDependents(tree: CompiledTree, name: string): string[] {
  const start = new Set(expandBundles(tree, [name]));
  const order = topologicalOrder(tree);
  const hit = new Set<string>(start);
  for (const s of order) {
    if (!hit.has(s) && atomicDependencies(tree, s).some((d) => hit.has(d))) hit.add(s);
  }
  return order.filter((s) => hit.has(s) && !start.has(s)).reverse();
}
