// A lab cluster: full FortrOS nodes (node-tree.ts under fortros-init) in the namespaces of a libs/netlab Lab, on real
// WireGuard, the first founding an org and the others joining with tokens from `fortctl org token create`. How a
// node's init is started is injected: attached to a test, or detached for the fortros-lab CLI.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_PATHS } from '@fortros/core';
import type { Lab, LabNode } from '@fortros/netlab';
import { MaintainerV1 } from '@fortros/proto';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { MAINTAINER_MAIN } from './binaries.js';
import { CONVERGE_MS, NODE_READY_MS, UNDERLAY_PORT } from './constants.js';
import { createToken, ctlOk, nodeInfo, type NodeJson } from './fortctl.js';
import { killNamespace, type NodeInit } from './node-process.js';
import { nodeTree } from './node-tree.js';
import { poll } from './poll.js';
import type { TreeSpec } from './service-tree.js';

export interface LabClusterNode<I extends NodeInit = NodeInit> {
  name: string;
  lab: LabNode;
  init: I;
  interfaceName: string;
  /** The underlay endpoint, host:port. */
  underlay: string;
}

/** Where a node's init is to run: its namespace, and what to put under its root before it starts. */
export interface LaunchPlace {
  name: string;
  netns: string;
  lab: LabNode;
  interfaceName: string;
  /** host:port. */
  underlay: string;
  prepare: (root: string) => Promise<void>;
}

/** Starts init on `tree` in a namespace; resolves once init serves its control socket. */
export type InitLauncher<I extends NodeInit> = (tree: TreeSpec, place: LaunchPlace) => Promise<I>;

export interface AddNodeOptions {
  /** Join with this token (put in etc/fortros/node.json, never on a command line); without, found an org. */
  token?: string;
  /** Resolve once `waitFor` is ready (default true). */
  wait?: boolean;
  /** Maintainer `--label` flags. */
  labels?: Record<string, string>;
  /** The service awaited (default the maintainer). */
  waitFor?: string;
  /** Services added to this node's tree only (and to its default bundle), after the cluster's `extraServices`. */
  extra?: TreeSpec;
  /** A namespace made beforehand with `lab.addNode()` (a bench times the node's boot without the namespace's); else a new one. */
  lab?: LabNode;
}

export interface LabClusterOptions {
  /**
   * Keep only these services of the node tree (and in its default bundle): a lighter node, e.g. persist-mount,
   * wireguard and maintainer for a bench of many nodes on few cores. All when undefined.
   */
  services?: readonly string[];
}

/** `spec` with only the services named in `keep` (all when undefined), the default bundle cut to match. */
function only(spec: TreeSpec, keep: readonly string[] | undefined): TreeSpec {
  if (keep === undefined) return spec;
  const out: TreeSpec = {};
  for (const name of keep) if (spec[name]) out[name] = spec[name];
  out.default = { type: 'bundle', contents: [...keep] };
  return out;
}

export interface OrgJson {
  members: Record<string, { publicKey: string; overlayIp: string; address: string }>;
  workloads: Record<string, unknown>;
  settings: { orgId: string };
}

export class LabCluster<I extends NodeInit> {
  readonly nodes: LabClusterNode<I>[] = [];

  /** `extraServices` are added to every node's tree and default bundle (a bench's own longrun, say). */
  constructor(
    readonly lab: Lab,
    private readonly launch: InitLauncher<I>,
    readonly extraServices: TreeSpec = {},
    readonly options: LabClusterOptions = {},
  ) {}

  /** Boot one node in a new lab namespace; resolves once init says `waitFor` is ready, unless `wait` is false. */
  async addNode(options: AddNodeOptions = {}): Promise<LabClusterNode<I>> {
    const lab = options.lab ?? (await this.lab.addNode());
    const name = `node${lab.index}`;
    const interfaceName = this.lab.interfaceName(lab);
    const underlay = `${lab.address}:${UNDERLAY_PORT}`;
    const tree = only(nodeTree({ name, interfaceName, underlay, labels: options.labels, extra: { ...this.extraServices, ...options.extra } }), this.options.services);
    const init = await this.launch(tree, {
      name,
      netns: lab.netns,
      lab,
      interfaceName,
      underlay,
      prepare: async (root) => {
        if (options.token === undefined) return;
        await mkdir(join(root, 'etc/fortros'), { recursive: true });
        await writeFile(join(root, 'etc/fortros/node.json'), JSON.stringify({ joinToken: options.token }), { mode: 0o600 });
      },
    });
    this.lab.registry.add({ kind: 'pid', pid: init.pid });
    const node = { name, lab, init, interfaceName, underlay };
    this.nodes.push(node);
    if (options.wait ?? true) await init.waitForState(options.waitFor ?? 'maintainer', 'ready', { timeoutMs: NODE_READY_MS });
    return node;
  }

  /** `fortctl org token create` on `node`; returns the one line it printed. */
  token(node: LabClusterNode<I>, args: string[] = []): Promise<string> {
    return createToken(node.name, node.init.root, args);
  }

  /** A founder plus `n - 1` nodes, each joining with a token from the founder; `labels(i)` labels node i, `extra(i)` adds services to its tree. */
  async boot(n: number, options: { labels?: (i: number) => Record<string, string>; waitFor?: string; extra?: (i: number) => TreeSpec; onReady?: (node: LabClusterNode<I>) => void | Promise<void> } = {}): Promise<LabClusterNode<I>[]> {
    const first = await this.addNode({ labels: options.labels?.(0), waitFor: options.waitFor, extra: options.extra?.(0) });
    await options.onReady?.(first);
    for (let i = 1; i < n; i++) {
      const node = await this.addNode({ token: await this.token(first), labels: options.labels?.(i), waitFor: options.waitFor, extra: options.extra?.(i) });
      await options.onReady?.(node);
    }
    return this.nodes;
  }

  /** kill -9 of a whole node: every process in its namespace, by pid; resolves once they are gone. Its root stays. */
  killNode(node: LabClusterNode<I>): Promise<number[]> {
    return killNamespace(node.lab.netns, node.name);
  }

  info(node: LabClusterNode<I>): Promise<NodeJson> {
    return nodeInfo(node.name, node.init.root);
  }

  async org(node: LabClusterNode<I>): Promise<OrgJson> {
    return JSON.parse(await ctlOk(node.name, node.init.root, ['org', 'get'])) as OrgJson;
  }

  /**
   * Until every node sees `n` live members. Asked of each maintainer's local API in this process (GetNode, what
   * `fortctl node` shows): a poll that started a fortctl per node and round would take the CPU the nodes converge on.
   */
  async waitConverged(n = this.nodes.length, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<void> {
    const converged = async (x: LabClusterNode<I>): Promise<boolean> => {
      const self = await this.maintainer(x, (c) => unary(c, 'GetNode', {})).catch(() => undefined); // not up yet: not converged
      return self?.ready === true && Number(self.liveMembers ?? 0) === n;
    };
    await poll(async () => (await Promise.all(this.nodes.map(converged))).every(Boolean), {
      what: options.what ?? `${n} live members on every node`,
      timeoutMs: options.timeoutMs ?? CONVERGE_MS,
      intervalMs: options.intervalMs,
    });
  }

  /** Every line of every service log under the node's var/log/fortros. */
  async serviceLogs(node: LabClusterNode<I>): Promise<string> {
    const base = join(node.init.root, 'var/log/fortros');
    let text = '';
    for (const svc of await readdir(base).catch(() => [] as string[])) {
      for (const f of await readdir(join(base, svc)).catch(() => [] as string[])) text += await readFile(join(base, svc, f), 'utf8').catch(() => '');
    }
    return text;
  }

  /**
   * Runs a bare fortros-maintainer joining with `token` in a new lab namespace (no init; it makes its own interface)
   * and returns how it ended: a refused join exits non-zero. Killed by pid if it is still running after `timeoutMs`.
   */
  async tryJoin(token: string, timeoutMs = 60_000): Promise<{ node: LabNode; code: number | null; stderr: string }> {
    const node = await this.lab.addNode();
    const root = await mkdtemp(join(tmpdir(), 'fortros-joiner-'));
    try {
      await writeFile(join(root, 'token'), token, { mode: 0o600 });
      const args = [MAINTAINER_MAIN, '--root', root, '--bind', `${node.address}:${UNDERLAY_PORT}`, '--interface', this.lab.interfaceName(node), '--join-token', `@${join(root, 'token')}`, '--log-format', 'json'];
      const r = await this.lab.spawn(node, process.execPath, args, { reject: false, timeout: timeoutMs, killSignal: 'SIGKILL' });
      return { node, code: r.exitCode ?? null, stderr: String(r.stderr) };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  /** PutWorkload of `spec` on `node`'s local API (a fresh client each call: the maintainer may have restarted); acknowledged once durable. */
  async putSpec(node: LabClusterNode<I>, spec: Record<string, unknown>): Promise<void> {
    await this.maintainer(node, (c) => unary(c, 'PutWorkload', { specJson: JSON.stringify(spec) }));
  }

  /** One use of `node`'s maintainer local API, on a fresh client (the maintainer may have restarted since the last). */
  private async maintainer<T>(node: LabClusterNode<I>, use: (client: MaintainerV1.MaintainerClient) => Promise<T>): Promise<T> {
    const client = createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), join(node.init.root, NODE_PATHS.maintainerSocket));
    try {
      return await use(client);
    } finally {
      closeClient(client);
    }
  }

  /** The desired workload ids `node` holds, sorted. */
  async workloadIds(node: LabClusterNode<I>): Promise<string[]> {
    return Object.keys((await this.org(node)).workloads).sort();
  }

  /** Stop every init; if one cannot be cleaned up (something still writes to its root), kill its namespace's processes and retry. */
  async cleanup(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        try {
          await n.init.cleanup();
        } catch {
          await this.killNode(n);
          await n.init.cleanup();
        }
      }),
    );
  }
}
