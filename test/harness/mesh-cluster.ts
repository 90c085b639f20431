// Multi-node mesh clusters for tests: each node a full fortros-init tree (persist-mount, wireguard, maintainer,
// key-service, reconciler, workloads-drain, boot-watchdog) running inside its own namespace of a libs/netlab lab, on real wireguard-go. Nodes
// join with tokens made by `fortctl org token create`; the lab and every init are removed after each test.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Lab, type LabNode } from '@fortros/netlab';
import { MaintainerV1 } from '@fortros/proto';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { fortctl } from './ctl.js';
import { InitProcess } from './init.js';
import { isAlive } from './proc.js';
import { KEYS_MAIN } from './keys.js';
import { MAINTAINER_MAIN, workload } from './maintainer.js';
import { skipUnlessMesh } from './mesh.js';
import { reconcilerServices } from './reconciler.js';
import type { TreeSpec } from './tree.js';
import { waitUntil, type WaitOptions } from './wait.js';

export const WIREGUARD_MAIN = fileURLToPath(new URL('../../apps/wireguard/dist/main.js', import.meta.url));
/** The underlay port: WireGuard UDP and admission TCP. */
export const UNDERLAY_PORT = 51820;
/** SWIM and OrgSync on the overlay (apps/maintainer OVERLAY_PORT). */
export const OVERLAY_PORT = 7946;
const NODE_READY_MS = 90_000;

export interface NodeJson {
  id: string;
  name: string;
  address: string;
  overlayIp: string;
  publicKey: string;
  ready: boolean;
  orgId: string;
  liveMembers: number;
  stats: Record<string, number>;
}

export interface MeshClusterNode {
  name: string;
  lab: LabNode;
  init: InitProcess;
  interfaceName: string;
  /** The underlay endpoint, host:port. */
  underlay: string;
}

/** The node tree of examples/node, with absolute binaries, the lab's interface name and underlay address. */
function tree(name: string, interfaceName: string, underlay: string, extraArgs: string, extra: TreeSpec): TreeSpec {
  const node = process.execPath;
  return {
    'persist-mount': { type: 'oneshot', up: 'mkdir -p "$FORTROS_ROOT/persist" && chmod 0700 "$FORTROS_ROOT/persist"' },
    wireguard: {
      type: 'longrun',
      notificationFd: 3,
      dependencies: ['persist-mount'],
      run: `exec "${node}" "${WIREGUARD_MAIN}" --root "$FORTROS_ROOT" --interface ${interfaceName} --listen-port ${UNDERLAY_PORT} --notify-fd 3`,
    },
    maintainer: {
      type: 'longrun',
      notificationFd: 3,
      timeoutUp: 60_000,
      dependencies: ['wireguard'],
      run: `exec "${node}" "${MAINTAINER_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --name ${name} --bind ${underlay} --interface ${interfaceName} --log-format json ${extraArgs}`,
    },
    'key-service': { type: 'longrun', notificationFd: 3, dependencies: ['persist-mount'], run: `exec "${node}" "${KEYS_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --log-format json` },
    ...reconcilerServices(),
    'boot-watchdog': {
      type: 'oneshot',
      dependencies: ['maintainer'],
      up: 'mkdir -p "$FORTROS_ROOT/persist/generations/dev" && echo ok > "$FORTROS_ROOT/persist/generations/dev/status"',
    },
    ...extra,
    default: { type: 'bundle', contents: ['persist-mount', 'wireguard', 'maintainer', 'key-service', 'reconciler', 'workloads-drain', 'boot-watchdog', ...Object.keys(extra)] },
  };
}

/** `spec` with only the services named in `keep` (all when undefined), the default bundle cut to match. */
function only(spec: TreeSpec, keep: readonly string[] | undefined): TreeSpec {
  if (keep === undefined) return spec;
  const out: TreeSpec = {};
  for (const name of keep) if (spec[name]) out[name] = spec[name];
  out.default = { type: 'bundle', contents: [...keep] };
  return out;
}

export class MeshCluster {
  readonly nodes: MeshClusterNode[] = [];

  /**
   * `extraServices` are added to every node's tree and default bundle (a bench's own longrun, say). `options.services`
   * keeps only those services of the node tree (and in the default bundle): a lighter node, e.g. persist-mount,
   * wireguard and maintainer for a bench of many nodes on few cores.
   */
  constructor(readonly lab: Lab, readonly extraServices: TreeSpec = {}, readonly options: { services?: readonly string[] } = {}) {}

  /**
   * Boot one node in a new lab namespace: with `token`, it joins (the token is put in etc/fortros/node.json, never on
   * a command line); without, it founds an org. `labels` become the maintainer's `--label` flags. Resolves once init
   * says `waitFor` (default the maintainer) is ready, unless `wait` is false. `lab`: a namespace made beforehand with
   * `this.lab.addNode()` (a bench times the node's boot without the namespace's), else a new one.
   */
  async addNode(options: { token?: string; wait?: boolean; labels?: Record<string, string>; waitFor?: string; lab?: LabNode } = {}): Promise<MeshClusterNode> {
    const lab = options.lab ?? (await this.lab.addNode());
    const name = `node${lab.index}`;
    const interfaceName = this.lab.interfaceName(lab);
    const underlay = `${lab.address}:${UNDERLAY_PORT}`;
    const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `--label ${k}=${v}`).join(' ');
    const init = await InitProcess.start(only(tree(name, interfaceName, underlay, labels, this.extraServices), this.options.services), {
      wrap: ['ip', 'netns', 'exec', lab.netns],
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
  async token(node: MeshClusterNode, args: string[] = []): Promise<string> {
    const r = await fortctl(node.init.root, ['org', 'token', 'create', ...args]);
    if (r.code !== 0) throw new Error(`fortctl org token create on ${node.name}: exit ${r.code}: ${r.stderr}`);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    if (lines.length !== 1) throw new Error(`fortctl org token create printed ${lines.length} lines`);
    return lines[0]!;
  }

  /** A founder plus `n - 1` nodes, each joining with a token from the founder; `labels(i)` labels node i. */
  async boot(n: number, options: { labels?: (i: number) => Record<string, string>; waitFor?: string } = {}): Promise<MeshClusterNode[]> {
    const first = await this.addNode({ labels: options.labels?.(0), waitFor: options.waitFor });
    for (let i = 1; i < n; i++) await this.addNode({ token: await this.token(first), labels: options.labels?.(i), waitFor: options.waitFor });
    return this.nodes;
  }

  /**
   * kill -9 of a whole node: every process in its network namespace (init, its services and the workloads they
   * started, which run there too), by pid; resolves once they are gone. Its root stays until cleanup.
   */
  async killNode(node: MeshClusterNode): Promise<number[]> {
    const r = await execa('ip', ['netns', 'pids', node.lab.netns], { reject: false });
    const pids = String(r.stdout).split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), { what: `every process of ${node.name} gone`, timeoutMs: 30_000 });
    return pids;
  }

  async info(node: MeshClusterNode): Promise<NodeJson> {
    const r = await fortctl(node.init.root, ['node', '--json']);
    if (r.code !== 0) throw new Error(`fortctl node on ${node.name}: exit ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as NodeJson;
  }

  async org(node: MeshClusterNode): Promise<{ members: Record<string, { publicKey: string; overlayIp: string; address: string }>; workloads: Record<string, unknown>; settings: { orgId: string } }> {
    const r = await fortctl(node.init.root, ['org', 'get']);
    if (r.code !== 0) throw new Error(`fortctl org get on ${node.name}: exit ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as never;
  }

  /** Until every node sees `n` live members. */
  async waitConverged(n = this.nodes.length, options: WaitOptions = {}): Promise<void> {
    await waitUntil(async () => (await Promise.all(this.nodes.map((x) => this.info(x)))).every((i) => i.ready && i.liveMembers === n), {
      what: `${n} live members on every node`,
      timeoutMs: 60_000,
      ...options,
    });
  }

  /** Every line of every log under the node's var/log/fortros, plus init's own output. */
  async logs(node: MeshClusterNode): Promise<string> {
    const base = join(node.init.root, 'var/log/fortros');
    let text = node.init.output.join('\n') + node.init.records.map((r) => JSON.stringify(r)).join('\n');
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
      const child = this.lab.spawn(node, process.execPath, args, { reject: false, timeout: timeoutMs, killSignal: 'SIGKILL' });
      const r = await child;
      return { node, code: r.exitCode ?? null, stderr: String(r.stderr) };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  /**
   * PutWorkload of `spec` (default: a /bin/true process workload on `node`) on `node`'s local API (a fresh client each
   * call: the maintainer may have restarted); acknowledged once durable.
   */
  async putWorkload(node: MeshClusterNode, id: string, spec: Record<string, unknown> = workload(id, node.name)): Promise<void> {
    const client = createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), join(node.init.root, 'run/fortros/maintainer.sock'));
    try {
      await unary(client, 'PutWorkload', { specJson: JSON.stringify(spec) });
    } finally {
      closeClient(client);
    }
  }

  /** The desired workload ids `node` holds, sorted. */
  async workloadIds(node: MeshClusterNode): Promise<string[]> {
    return Object.keys((await this.org(node)).workloads).sort();
  }

  /** Stop every init (SIGTERM, then SIGKILL); if a node's root cannot be removed (something still writes there), kill its namespace's processes and retry. */
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

/** A lab prefix for this process: `ms` (or `base`, two letters) + 4 hex digits of the pid + a counter. */
let prefixCounter = 0;
export function meshClusterPrefix(base = 'ms'): string {
  return `${base}${(process.pid & 0xffff).toString(16).padStart(4, '0')}${(prefixCounter++).toString(36)}`;
}

/**
 * The hooks of a mesh-cluster suite: skip (saying why) without root or /dev/net/tun; after each test every init is
 * stopped and the lab destroyed. `slot.start()` makes the test's cluster on a fresh lab.
 */
export function meshClusterSuite(prefix = 'ms'): { current: MeshCluster | undefined; start(): Promise<MeshCluster> } {
  const slot = {
    current: undefined as MeshCluster | undefined,
    async start(): Promise<MeshCluster> {
      slot.current = new MeshCluster(await Lab.create({ prefix: meshClusterPrefix(prefix) }));
      return slot.current;
    },
  };
  before(function () {
    skipUnlessMesh(this);
  });
  afterEach(async () => {
    await slot.current?.cleanup();
    await slot.current?.lab.destroy();
    slot.current = undefined;
  });
  return slot;
}
