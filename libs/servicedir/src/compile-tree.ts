// The graph compiler: resolves references (instantiating templates), checks pipelines, rejects cycles, and
// fails every service that depends on a failed or missing one, leaving the rest of the tree usable.
import { join } from 'node:path';
import { MAX_SERVICES } from './constants.js';
import { isCycle, shortestCycle, stronglyConnected } from './cycles.js';
import { quote } from './fs-probe.js';
import { isTemplateName, splitInstanceName } from './names.js';
import { defaultDefinition, type ParsedService, type RefKind, type ServiceRef } from './service-reader.js';
import type { CompiledTree, LoadProblem, ServiceDefinition } from './types.js';

export interface CompileInput {
  sources: string[];
  /** Parsed service directories (not templates), with their own problems. */
  parsed: Map<string, ParsedService>;
  /** Parsed `name@` template directories. */
  templates: Map<string, ParsedService>;
  /** Names that cannot be used at all (bad names, duplicates), with their problems. */
  failed: Map<string, LoadProblem[]>;
  problems: LoadProblem[];
}

/** A service in the graph; `def` is undefined for a name known only as failed (duplicate, failed template). */
interface Node {
  def?: ServiceDefinition;
  refs: ServiceRef[];
}

const UNKNOWN_LABEL: Record<RefKind, string> = {
  dependency: 'unknown dependency',
  content: 'unknown bundle member',
  producer: 'unknown pipeline consumer (producer-for)',
  consumer: 'unknown pipeline producer (consumer-for)',
};

class Compiler {
  readonly nodes = new Map<string, Node>();
  readonly failed: Map<string, LoadProblem[]>;
  readonly problems: LoadProblem[];
  private limitReported = false;

  constructor(private readonly input: CompileInput) {
    this.failed = new Map([...input.failed].map(([k, v]) => [k, [...v]]));
    this.problems = [...input.problems];
    for (const name of input.failed.keys()) this.nodes.set(name, { refs: [] });
    for (const [name, p] of input.parsed) {
      this.nodes.set(name, { def: p.def, refs: p.refs });
      if (p.problems.length > 0) this.failed.set(name, [...(this.failed.get(name) ?? []), ...p.problems]);
    }
    for (const [name, p] of input.templates) if (p.problems.length > 0) this.failed.set(name, [...p.problems]);
  }

  fail(service: string, path: string, message: string): void {
    const list = this.failed.get(service);
    const problem = { service, path, message };
    if (list) list.push(problem);
    else this.failed.set(service, [problem]);
  }

  /** Every reference names a known service, or instantiates a template, or is a problem of its referrer. */
  resolve(): void {
    const queue = [...this.nodes.keys()];
    for (let i = 0; i < queue.length; i++) {
      const name = queue[i]!;
      for (const ref of this.nodes.get(name)!.refs) {
        if (this.nodes.has(ref.name)) continue;
        if (isTemplateName(ref.name)) {
          this.fail(name, ref.file, `expected an instance name such as "${ref.name}PARAM", got the template name "${ref.name}"`);
          continue;
        }
        const instance = splitInstanceName(ref.name);
        const template = instance && this.input.templates.get(instance.template);
        if (instance && template) {
          if (this.nodes.size >= MAX_SERVICES) {
            this.reportLimit(ref.file);
            this.fail(name, ref.file, `cannot instantiate "${ref.name}": the tree already holds ${MAX_SERVICES} services`);
            continue;
          }
          this.instantiate(ref.name, instance, template);
          queue.push(ref.name);
          continue;
        }
        const where = this.input.sources.map((s) => join(s, ref.name)).join(' or ');
        this.fail(name, ref.file, `${UNKNOWN_LABEL[ref.kind]} "${ref.name}": expected a service directory ${where}, found none`);
      }
    }
  }

  private reportLimit(path: string): void {
    if (this.limitReported) return;
    this.limitReported = true;
    this.problems.push({ path, message: `expected at most ${MAX_SERVICES} services, got more (template instances count)` });
  }

  private instantiate(name: string, inst: { template: string; param: string }, tpl: ParsedService): void {
    if (this.failed.has(inst.template)) {
      this.nodes.set(name, { refs: [] });
      this.fail(name, tpl.def.dir, `instance of template "${inst.template}", which failed to load`);
      return;
    }
    const def: ServiceDefinition = {
      ...tpl.def,
      name,
      dependencies: [...tpl.def.dependencies],
      contents: [...tpl.def.contents],
      consumerFor: [...tpl.def.consumerFor],
      env: { ...tpl.def.env },
      envUnset: [...(tpl.def.envUnset ?? [])],
      template: { template: inst.template, param: inst.param },
    };
    this.nodes.set(name, { def, refs: tpl.refs.map((r) => ({ ...r })) });
  }

  /** Producer and consumer name each other, both are longruns, and a producer-for chain never loops. */
  checkPipelines(): void {
    for (const [name, node] of this.nodes) {
      if (node.def?.type !== 'longrun') continue;
      for (const ref of node.refs) {
        if (ref.kind !== 'producer' && ref.kind !== 'consumer') continue;
        const other = this.nodes.get(ref.name)?.def;
        if (other === undefined) continue; // unknown or failed: reported or propagated elsewhere
        const file = ref.kind === 'producer' ? 'producer-for' : 'consumer-for';
        if (other.type !== 'longrun') {
          this.fail(name, ref.file, `expected a longrun in ${file}, got "${ref.name}" (a ${other.type})`);
        } else if (ref.kind === 'producer' && !other.consumerFor.includes(name)) {
          this.fail(name, ref.file, `expected "${ref.name}" to list "${name}" in its consumer-for, got ${quote(other.consumerFor.join(', '))}`);
        } else if (ref.kind === 'producer' && !node.def.dependencies.includes(ref.name)) {
          node.def.dependencies.push(ref.name); // s6-rc: the consumer is up before its producer, and down after it
        } else if (ref.kind === 'consumer' && other.producerFor !== name) {
          this.fail(name, ref.file, `expected "${ref.name}" to name "${name}" in its producer-for, got ${quote(other.producerFor ?? '')}`);
        }
      }
      const chain = [name];
      for (let next = node.def.producerFor; next !== undefined && chain.length <= MAX_SERVICES; next = this.nodes.get(next)?.def?.producerFor) {
        chain.push(next);
        if (next !== name) continue;
        this.fail(name, join(node.def.dir, 'producer-for'), `expected a pipeline that ends, got a loop: ${chain.join(' -> ')}`);
        break;
      }
    }
  }

  /**
   * s6-rc: `pipeline-name` on a consumer creates a bundle of that name holding the whole pipeline. Runs before
   * `resolve` so the bundle can be named like any service (pipeline members must be real directories).
   */
  addPipelineBundles(): void {
    for (const [name, node] of [...this.nodes]) {
      const pipelineName = node.def?.pipelineName;
      if (pipelineName === undefined) continue;
      const file = join(node.def!.dir, 'pipeline-name');
      if (this.nodes.has(pipelineName)) {
        this.fail(name, file, `expected a name no other service uses, got ${quote(pipelineName)}`);
        continue;
      }
      const members = new Set([name]);
      for (const m of members) {
        for (const r of this.nodes.get(m)?.refs ?? []) if ((r.kind === 'producer' || r.kind === 'consumer') && this.nodes.has(r.name)) members.add(r.name);
      }
      const def = defaultDefinition(pipelineName, 'bundle', node.def!.dir);
      def.contents = [...members].sort();
      this.nodes.set(pipelineName, { def, refs: def.contents.map((m) => ({ name: m, kind: 'content' as const, file })) });
    }
  }

  /** The graph that must be acyclic: atomic → dependencies (a producer's consumer included), bundle → members. */
  readonly orderEdges = (name: string): string[] =>
    (this.nodes.get(name)?.refs ?? []).filter((r) => isOrderRef(r) && this.nodes.has(r.name)).map((r) => r.name);

  /** Fail every cycle member, naming the cycle; returns the components in dependencies-first order. */
  rejectCycles(): string[][] {
    const components = stronglyConnected([...this.nodes.keys()].sort(), this.orderEdges);
    for (const component of components) {
      if (!isCycle(component, this.orderEdges)) continue;
      const members = new Set(component);
      for (const start of component) {
        const cycle = shortestCycle(start, members, this.orderEdges);
        const ref = this.nodes.get(start)!.refs.find((r) => r.name === cycle[1] && isOrderRef(r));
        this.fail(start, ref?.file ?? start, `dependency cycle: ${cycle.join(' -> ')}`);
      }
    }
    return components;
  }

  /** Fail what depends (through bundles too) on a failed service, or is piped to one; repeat to a fixpoint. */
  propagate(order: string[]): void {
    for (let changed = true; changed; ) {
      changed = false;
      // blocked name → chain down to the failed service; bundles come after their members in `order`
      const via = new Map<string, string[]>([...this.failed.keys()].map((n) => [n, [n]]));
      for (const name of order) {
        if (this.failed.has(name)) continue;
        const node = this.nodes.get(name)!;
        if (node.def?.type === 'bundle') {
          const bad = node.refs.find((r) => r.kind === 'content' && via.has(r.name));
          if (bad) via.set(name, [name, ...via.get(bad.name)!]);
          continue;
        }
        for (const ref of node.refs) {
          const chain = via.get(ref.name);
          if (chain === undefined || ref.kind === 'content') continue;
          this.fail(name, ref.file, blockedMessage(ref, chain));
          changed = true;
        }
        if (this.failed.has(name)) via.set(name, [name]);
      }
    }
  }

  build(order: string[]): CompiledTree {
    const services = new Map<string, ServiceDefinition>();
    for (const name of order) {
      const def = this.nodes.get(name)?.def;
      if (def && !this.failed.has(name)) services.set(name, def);
    }
    const templates = new Map<string, ServiceDefinition>();
    for (const [name, p] of [...this.input.templates].sort(([a], [b]) => byName(a, b))) {
      if (!this.failed.has(name)) templates.set(name, p.def);
    }
    const failed = new Map([...this.failed].sort(([a], [b]) => byName(a, b)));
    return { source: this.input.sources[0]!, sources: this.input.sources, services, failed, problems: this.problems, templates };
  }
}

/** A reference that orders starts and stops: a dependency, a bundle member, a producer's consumer. */
function isOrderRef(r: ServiceRef): boolean {
  return r.kind === 'dependency' || r.kind === 'content' || r.kind === 'producer';
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function blockedMessage(ref: ServiceRef, chain: string[]): string {
  const root = chain[chain.length - 1]!;
  const through = chain.length > 1 ? ` (through bundle ${chain.slice(0, -1).map((n) => `"${n}"`).join(' -> ')})` : '';
  const what = ref.kind === 'dependency' ? 'depends on' : ref.kind === 'producer' ? 'produces for' : 'consumes from';
  return `${what} "${root}"${through}, which failed to load`;
}

export function compileTree(input: CompileInput): CompiledTree {
  const c = new Compiler(input);
  c.addPipelineBundles();
  c.resolve();
  c.checkPipelines();
  const order = c.rejectCycles().flat();
  c.propagate(order);
  return c.build(order);
}
