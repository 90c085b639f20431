// A network lab: one namespace holding a bridge, node namespaces each joined to it by a veth pair with an underlay
// address, commands run inside nodes, partitions and packet loss with nftables, and removal of all of it. The host's
// network namespace is never touched: every link is created inside a namespace of the lab.
import { join } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import { BRIDGE_NAME, DEFAULT_SUBNET_OCTET, LOSS_TABLE, MAX_NODES, NODE_LINK_NAME, PARTITION_TABLE, PREFIX_PATTERN, WIREGUARD_SOCKET_DIR } from './constants.js';
import { CleanupRegistry, sweep } from './cleanup-registry.js';
import { LabArgumentError, LabDestroyedError } from './errors.js';
import { run, type RunOptions } from './exec.js';
import { lossChains, nftReplaceScript, partitionChains, partitionPlan } from './rules.js';

export interface LabNode {
  /** 1-based; also the host part of the underlay address. */
  index: number;
  /** The node's network namespace. */
  netns: string;
  /** Underlay address (no prefix length), e.g. 192.168.77.3. */
  address: string;
}

export interface LabOptions {
  /** Names of everything the lab makes start with it (see PREFIX_PATTERN); unique per concurrent user. */
  prefix: string;
  /** Third octet of the underlay 192.168.X.0/24. */
  subnetOctet?: number;
  /** Remove everything also on process exit and SIGINT/SIGTERM (default true). */
  guard?: boolean;
  registry?: CleanupRegistry;
}

export class Lab {
  readonly nodes: LabNode[] = [];
  private destroyed = false;

  private constructor(
    readonly prefix: string,
    readonly netns: string,
    private readonly octet: number,
    readonly registry: CleanupRegistry,
  ) {}

  /** Sweep leftovers of `prefix`, then make the lab namespace with its bridge. */
  static async create(options: LabOptions): Promise<Lab> {
    if (!PREFIX_PATTERN.test(options.prefix)) throw new LabArgumentError('prefix', `a name matching ${PREFIX_PATTERN}`, options.prefix);
    const octet = options.subnetOctet ?? DEFAULT_SUBNET_OCTET;
    if (!Number.isInteger(octet) || octet < 0 || octet > 255) throw new LabArgumentError('subnetOctet', 'an integer 0-255', octet);
    await sweep(options.prefix);
    const registry = options.registry ?? new CleanupRegistry();
    if (options.guard ?? true) registry.guard();
    const lab = new Lab(options.prefix, `${options.prefix}-lab`, octet, registry);
    try {
      await lab.makeNetns(lab.netns);
      await run('ip', ['-n', lab.netns, 'link', 'add', BRIDGE_NAME, 'type', 'bridge']);
      await run('ip', ['-n', lab.netns, 'link', 'set', BRIDGE_NAME, 'up']);
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  /**
   * A handle on a lab another process made and still holds (its prefix, nodes and octet as that process recorded
   * them): exec, partition, heal and loss work; nothing is registered for cleanup and nothing is created.
   */
  static attach(prefix: string, nodes: readonly LabNode[], subnetOctet = DEFAULT_SUBNET_OCTET): Lab {
    if (!PREFIX_PATTERN.test(prefix)) throw new LabArgumentError('prefix', `a name matching ${PREFIX_PATTERN}`, prefix);
    const lab = new Lab(prefix, `${prefix}-lab`, subnetOctet, new CleanupRegistry());
    lab.nodes.push(...nodes);
    return lab;
  }

  /** The underlay subnet, e.g. 192.168.77.0/24. */
  get subnet(): string {
    return `192.168.${this.octet}.0/24`;
  }

  private live(): void {
    if (this.destroyed) throw new LabDestroyedError(this.prefix);
  }

  private async makeNetns(name: string): Promise<void> {
    this.registry.add({ kind: 'netns', name });
    await run('ip', ['netns', 'add', name]);
    await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  }

  /** Add a node namespace joined to the bridge by a veth pair, with address 192.168.X.<index>/24. */
  async addNode(): Promise<LabNode> {
    this.live();
    const index = this.nodes.length + 1;
    if (index > MAX_NODES) throw new LabArgumentError('nodes', `at most ${MAX_NODES}`, index);
    const node: LabNode = { index, netns: `${this.prefix}-n${index}`, address: `192.168.${this.octet}.${index}` };
    await this.makeNetns(node.netns);
    const peer = `v${index}`;
    // made inside the node namespace, its peer moved straight into the lab namespace: the host never holds either
    await run('ip', ['-n', node.netns, 'link', 'add', NODE_LINK_NAME, 'type', 'veth', 'peer', 'name', peer, 'netns', this.netns]);
    await run('ip', ['-n', this.netns, 'link', 'set', peer, 'master', BRIDGE_NAME, 'up']);
    await run('ip', ['-n', node.netns, 'address', 'add', `${node.address}/24`, 'dev', NODE_LINK_NAME]);
    await run('ip', ['-n', node.netns, 'link', 'set', NODE_LINK_NAME, 'up']);
    this.nodes.push(node);
    return node;
  }

  async addNodes(n: number): Promise<LabNode[]> {
    const out: LabNode[] = [];
    for (let i = 0; i < n; i++) out.push(await this.addNode());
    return out;
  }

  /** A WireGuard interface name for `node`, unique per host; its wireguard-go socket is removed at cleanup. */
  interfaceName(node: LabNode, suffix = ''): string {
    const name = `${this.prefix}w${node.index}${suffix}`;
    this.registry.add({ kind: 'socket', path: join(WIREGUARD_SOCKET_DIR, `${name}.sock`) });
    return name;
  }

  /** Run a command inside `node` to completion and return its stdout (throws LabCommandError). */
  exec(node: LabNode, file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
    this.live();
    return run('ip', ['netns', 'exec', node.netns, file, ...args], options);
  }

  /** Start a long-lived process inside `node`; it is killed by pid at cleanup. */
  spawn(node: LabNode, file: string, args: readonly string[], options: Options = {}): ResultPromise {
    this.live();
    const child = execa('ip', ['netns', 'exec', node.netns, file, ...args], { reject: false, ...options });
    if (child.pid !== undefined) this.registry.add({ kind: 'pid', pid: child.pid });
    return child;
  }

  /** Send `signal` (default SIGKILL) to a process by pid. */
  kill(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    process.kill(pid, signal);
  }

  /** Partition: every node listed drops underlay traffic to and from the nodes of the other groups. */
  async partition(groups: readonly (readonly LabNode[])[]): Promise<void> {
    this.live();
    const plan = partitionPlan(groups);
    for (const node of this.nodes) {
      const blocked = plan.get(node.netns);
      if (blocked) await this.nft(node, PARTITION_TABLE, partitionChains(blocked));
    }
  }

  /** Undo every partition. */
  async heal(): Promise<void> {
    this.live();
    for (const node of this.nodes) await this.nft(node, PARTITION_TABLE, []);
  }

  /** Drop `percent` of the packets `node` receives and sends on its underlay link (0 removes the loss). */
  async setLoss(node: LabNode, percent: number): Promise<void> {
    this.live();
    await this.nft(node, LOSS_TABLE, lossChains(NODE_LINK_NAME, percent));
  }

  private async nft(node: LabNode, table: string, chains: string[]): Promise<void> {
    await this.exec(node, 'nft', ['-f', '-'], { input: nftReplaceScript(table, chains) });
  }

  /** Remove everything the lab made. Idempotent. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.registry.cleanup();
  }
}
