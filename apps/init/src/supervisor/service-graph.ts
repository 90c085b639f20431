// The supervisor's view of the compiled tree: one record per service, edges, orders and start/stop sets.
import {
  atomicDependencies, dependencyClosure, expandBundles, reverseDependents, topologicalOrder, type CompiledTree,
} from '@fortros/servicedir';
import { EssentialServiceError, ServiceLoadError, UnknownServiceError } from '../errors.js';
import { newRecord, type ServiceRecord } from '../service/service-record.js';

export class ServiceGraph {
  readonly records = new Map<string, ServiceRecord>();
  /** Every service in start order: atomic services dependencies first, then bundles, then load failures. */
  readonly order: string[];
  /** Essential services and everything they depend on: stopped last at shutdown. */
  readonly essentialSide: ReadonlySet<string>;

  constructor(readonly tree: CompiledTree, now: number) {
    for (const [name, problems] of tree.failed) {
      const reason = problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'failed to load';
      this.records.set(name, newRecord(name, undefined, now, reason));
    }
    const atomic = topologicalOrder(tree);
    const bundles = [...tree.services.values()].filter((d) => d.type === 'bundle').map((d) => d.name).sort();
    for (const name of [...atomic, ...bundles]) this.records.set(name, newRecord(name, tree.services.get(name), now));
    for (const name of atomic) {
      const r = this.records.get(name)!;
      r.deps = atomicDependencies(tree, name);
      for (const d of r.deps) this.records.get(d)?.dependents.push(name);
    }
    for (const name of bundles) this.records.get(name)!.deps = expandBundles(tree, tree.services.get(name)!.contents);
    this.order = [...atomic, ...bundles, ...[...tree.failed.keys()]];
    const essentials = atomic.filter((n) => tree.services.get(n)!.essential);
    this.essentialSide = new Set(essentials.length > 0 ? dependencyClosure(tree, essentials) : []);
  }

  get(name: string): ServiceRecord {
    const r = this.records.get(name);
    if (r === undefined) throw new UnknownServiceError(name);
    return r;
  }

  /** Load-failed services cannot be asked for by name. */
  usable(name: string): ServiceRecord {
    const r = this.get(name);
    if (r.def === undefined) throw new ServiceLoadError(name, r.reason);
    return r;
  }

  /** What starting `name` wants up: its closure (atomic, dependencies first) and the bundles named on the way. */
  startSet(name: string): string[] {
    this.usable(name);
    return [...dependencyClosure(this.tree, [name]), ...this.bundlesUnder(name)];
  }

  /** Atomic members of `name` (itself when atomic), loaded ones only. */
  members(name: string): string[] {
    this.usable(name);
    return expandBundles(this.tree, [name]).filter((n) => this.records.get(n)?.def !== undefined);
  }

  /**
   * What stopping `name` takes down: its members, everything depending on them, and the bundles named. Unless
   * `force`, essential services (and what they need) stay; naming an essential service directly is an error.
   */
  stopSet(name: string, force: boolean): string[] {
    const members = this.members(name);
    const set = new Set<string>([...this.bundlesUnder(name)]);
    for (const m of members) {
      set.add(m);
      for (const d of reverseDependents(this.tree, m)) set.add(d);
    }
    if (force) return [...set];
    const essentials = [...set].filter((n) => this.records.get(n)!.def?.essential === true);
    if (essentials.length === 0) return [...set];
    const keep = new Set(dependencyClosure(this.tree, essentials));
    if (this.tree.services.get(name)?.type !== 'bundle' && keep.has(name)) throw new EssentialServiceError(name, essentials);
    return [...set].filter((n) => !keep.has(n));
  }

  private bundlesUnder(name: string): string[] {
    const out: string[] = [];
    const walk = (n: string): void => {
      const def = this.tree.services.get(n);
      if (def?.type !== 'bundle' || out.includes(n)) return;
      out.push(n);
      def.contents.forEach(walk);
    };
    walk(name);
    return out;
  }
}
