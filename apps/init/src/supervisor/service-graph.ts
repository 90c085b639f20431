// The supervisor's view of the compiled tree: one record per service, edges, orders and start/stop sets.
import {
  atomicDependencies, dependencyClosure, expandBundles, reverseDependents, topologicalOrder, type CompiledTree,
} from '@fortros/servicedir';
import { EssentialServiceError, ServiceLoadError, UnknownServiceError } from '../errors.js';
import { isDown, newRecord, type ServiceRecord } from '../service/service-record.js';
import { effectiveTree, type KeptDefinition } from './effective-tree.js';
import { describeLoadFailure } from './tree-diff.js';

export class ServiceGraph {
  readonly records = new Map<string, ServiceRecord>();
  /** Every service in start order: atomic services dependencies first, then bundles, then load failures. */
  order: string[] = [];
  /** Essential services and everything they depend on: stopped last at shutdown. */
  essentialSide: ReadonlySet<string> = new Set();
  /** Where edges come from: `latest` plus the definitions kept by removed or broken services not yet down. */
  tree: CompiledTree;

  constructor(
    /** The tree last loaded (at boot or by a rescan). */
    private latest: CompiledTree,
    now: number,
  ) {
    this.tree = latest;
    this.rebuild(now);
  }

  /** A rescan loaded `tree`: the records' `pending` changes must be set first (see rescan.ts). */
  load(tree: CompiledTree, now: number): string[] {
    this.latest = tree;
    return this.rebuild(now);
  }

  /**
   * Recompute records, edges and orders. A record is kept (state, processes, timers) while its service is in
   * the effective tree; a removed one is dropped once down; a load failure gets a failed record. Returns the
   * names dropped.
   */
  rebuild(now: number): string[] {
    const kept = new Map<string, KeptDefinition>();
    for (const r of this.records.values()) {
      const p = r.pending?.kind;
      if (r.def !== undefined && (p === 'loadFailure' || (p === 'removal' && !isDown(r)))) kept.set(r.name, { def: r.def, deps: r.deps });
    }
    const tree = (this.tree = effectiveTree(this.latest, kept));
    const previous = new Map(this.records);
    this.records.clear();
    for (const [name, problems] of tree.failed) {
      const prev = previous.get(name);
      if (prev !== undefined && prev.def === undefined) {
        prev.reason = describeLoadFailure(problems);
        this.records.set(name, prev);
      } else {
        this.records.set(name, newRecord(name, undefined, now, describeLoadFailure(problems)));
      }
    }
    const atomic = topologicalOrder(tree);
    const bundles = [...tree.services.values()].filter((d) => d.type === 'bundle').map((d) => d.name).sort();
    for (const name of [...atomic, ...bundles]) {
      const prev = previous.get(name);
      if (prev?.def !== undefined) {
        prev.deps = [];
        prev.dependents = [];
        this.records.set(name, prev);
      } else {
        this.records.set(name, newRecord(name, tree.services.get(name), now));
      }
    }
    for (const name of atomic) {
      const r = this.records.get(name)!;
      r.deps = atomicDependencies(tree, name);
      for (const d of r.deps) this.records.get(d)?.dependents.push(name);
    }
    for (const name of bundles) this.records.get(name)!.deps = expandBundles(tree, tree.services.get(name)!.contents);
    this.order = [...atomic, ...bundles, ...[...tree.failed.keys()]];
    const essentials = atomic.filter((n) => tree.services.get(n)!.essential);
    this.essentialSide = new Set(essentials.length > 0 ? dependencyClosure(tree, essentials) : []);
    return [...previous.keys()].filter((n) => !this.records.has(n));
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
