// One WireGuard interface: created with the kernel module when `ip link add … type wireguard` works, else by a
// wireguard-go child; configured with wg and ip; read with `wg show dump`; peers applied as a diff; deleted.
import { COMMAND_TIMEOUT_MS } from './constants.js';
import { KernelUnsupportedError, WgCommandError } from './errors.js';
import { runCommand, withSecretFile } from './exec.js';
import { parseDump, type InterfaceState, type PeerState } from './dump.js';
import { opArgs, planPeerDiff, type DesiredPeer, type PeerOp } from './peer-diff.js';
import { UserspaceProcess } from './userspace.js';
import { checkCidr, checkInterfaceName, checkKey, checkMtu, checkNetns, checkPort } from './validate.js';

/** kernel: the in-kernel module; userspace: a wireguard-go child of this process; attached: made by someone else. */
export type Backend = 'kernel' | 'userspace' | 'attached';
export type BackendChoice = 'auto' | 'kernel' | 'userspace';

export interface InterfaceOptions {
  /** Run every command inside this network namespace (`ip netns exec NS …`). */
  netns?: string | undefined;
  /** Per-command timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CreateOptions extends InterfaceOptions {
  backend?: BackendChoice;
}

/** `ip link add` failing this way means the kernel lacks WireGuard (as opposed to e.g. "File exists"). */
const NO_KERNEL_SUPPORT = /Unknown device type|Not supported|not supported|No such device/;

export class WireguardInterface {
  private constructor(
    readonly name: string,
    readonly backend: Backend,
    private readonly options: InterfaceOptions,
    /** The wireguard-go child in userspace mode. */
    readonly userspace: UserspaceProcess | undefined,
  ) {}

  get netns(): string | undefined {
    return this.options.netns;
  }

  /** Create interface `name` with the chosen backend ('auto': kernel if it works, else wireguard-go). */
  static async create(name: string, options: CreateOptions = {}): Promise<WireguardInterface> {
    checkInterfaceName(name);
    if (options.netns !== undefined) checkNetns(options.netns);
    const choice = options.backend ?? 'auto';
    if (choice !== 'userspace') {
      try {
        await run(name, options, 'ip', ['link', 'add', 'dev', name, 'type', 'wireguard']);
        return new WireguardInterface(name, 'kernel', options, undefined);
      } catch (err) {
        if (!(err instanceof WgCommandError) || !NO_KERNEL_SUPPORT.test(err.stderr)) throw err;
        if (choice === 'kernel') throw new KernelUnsupportedError(name, err.stderr);
      }
    }
    const probe = new WireguardInterface(name, 'attached', options, undefined);
    const child = await UserspaceProcess.start(name, options.netns, { interfaceExists: () => probe.exists() });
    return new WireguardInterface(name, 'userspace', options, child);
  }

  /** Drive an interface that already exists (made by another process, e.g. the mesh-interface service). */
  static attach(name: string, options: InterfaceOptions = {}): WireguardInterface {
    checkInterfaceName(name);
    if (options.netns !== undefined) checkNetns(options.netns);
    return new WireguardInterface(name, 'attached', options, undefined);
  }

  private run(file: string, args: string[]): Promise<string> {
    return run(this.name, this.options, file, args);
  }

  /** True when the link exists in the interface's namespace. */
  async exists(): Promise<boolean> {
    try {
      await this.run('ip', ['link', 'show', 'dev', this.name]);
      return true;
    } catch (err) {
      if (err instanceof WgCommandError && /does not exist|Cannot find device/.test(err.stderr)) return false;
      throw err;
    }
  }

  /** Set the private key, handed to wg in a short-lived 0600 file (never on a command line or in an error). */
  async setPrivateKey(privateKey: string): Promise<void> {
    checkKey(privateKey, `${this.name}: private key`);
    await withSecretFile(`${privateKey}\n`, (path) => this.run('wg', ['set', this.name, 'private-key', path]));
  }

  async setListenPort(port: number): Promise<void> {
    await this.run('wg', ['set', this.name, 'listen-port', String(checkPort(port, 'listenPort'))]);
  }

  /** Add an address (a.b.c.d/n); adding one it already has is not an error. */
  async addAddress(cidr: string): Promise<void> {
    try {
      await this.run('ip', ['address', 'add', checkCidr(cidr, 'address'), 'dev', this.name]);
    } catch (err) {
      if (!(err instanceof WgCommandError && /File exists|already assigned/.test(err.stderr))) throw err;
    }
  }

  /** The interface's IPv4 addresses, as a.b.c.d/n. */
  async addresses(): Promise<string[]> {
    const out = await this.run('ip', ['-o', '-4', 'address', 'show', 'dev', this.name]);
    return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1]!);
  }

  async setMtu(mtu: number): Promise<void> {
    await this.run('ip', ['link', 'set', 'dev', this.name, 'mtu', String(checkMtu(mtu))]);
  }

  async up(): Promise<void> {
    await this.run('ip', ['link', 'set', 'dev', this.name, 'up']);
  }

  async down(): Promise<void> {
    await this.run('ip', ['link', 'set', 'dev', this.name, 'down']);
  }

  /** True when the link is administratively up. */
  async isUp(): Promise<boolean> {
    const out = await this.run('ip', ['-o', 'link', 'show', 'dev', this.name]);
    return /<[^>]*\bUP\b[^>]*>/.test(out);
  }

  /** The interface's state from `wg show NAME dump` (its private key dropped while parsing). */
  async show(): Promise<InterfaceState> {
    return parseDump(this.name, await this.run('wg', ['show', this.name, 'dump']));
  }

  /**
   * Make the peer set `desired`, one `wg set` per changed peer: absent peers added, changed ones updated in place,
   * extra ones removed. Peers that did not change are not touched, so their sessions live on. Returns what was done.
   * `current`: the peers of a `show()` just made, to save another.
   */
  async applyPeers(desired: readonly DesiredPeer[], current?: readonly PeerState[]): Promise<PeerOp[]> {
    const ops = planPeerDiff(current ?? (await this.show()).peers, desired);
    for (const op of ops) await this.run('wg', ['set', this.name, ...opArgs(op)]);
    return ops;
  }

  /** Delete the link; in userspace mode wait for wireguard-go to exit (SIGKILL after a bound). Idempotent. */
  async delete(): Promise<void> {
    if (await this.exists()) await this.run('ip', ['link', 'delete', 'dev', this.name]);
    if (this.userspace) await this.userspace.stop();
  }
}

function run(name: string, o: InterfaceOptions, file: string, args: string[]): Promise<string> {
  return runCommand({ interfaceName: name, netns: o.netns, file, args, timeoutMs: o.timeoutMs ?? COMMAND_TIMEOUT_MS, signal: o.signal });
}
