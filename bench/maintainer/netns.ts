// A network namespace of the bench's own (loopback only) with an nftables table that counts the maintainers' bytes
// and drops a random share of their UDP gossip: real packet loss without touching the host's network.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TABLE = 'fortros_bench';

export interface ByteCounters {
  /** UDP gossip bytes sent (IP packets, headers included). */
  gossip: number;
  /** TCP OrgSync bytes sent, both directions (IP packets, headers included). */
  sync: number;
}

interface NftRule {
  rule?: { comment?: string; expr?: { counter?: { bytes: number } }[] };
}

export class NetNamespace {
  private created = false;

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  /** The command prefix that runs a program inside the namespace (`ip netns exec NAME`). */
  get execPrefix(): string[] {
    return ['ip', 'netns', 'exec', this.name];
  }

  private nft(...args: string[]): Promise<{ stdout: string }> {
    return run('ip', ['netns', 'exec', this.name, 'nft', ...args]);
  }

  /** Creates the namespace, brings lo up, and installs the counting chain and an empty loss chain. */
  async create(): Promise<void> {
    await run('ip', ['netns', 'add', this.name]);
    this.created = true;
    await run('ip', ['-n', this.name, 'link', 'set', 'lo', 'up']);
    const p = String(this.port);
    await this.nft('add', 'table', 'inet', TABLE);
    await this.nft('add', 'chain', 'inet', TABLE, 'loss');
    await this.nft('add', 'chain', 'inet', TABLE, 'out', '{ type filter hook output priority 0; policy accept; }');
    await this.nft('add', 'rule', 'inet', TABLE, 'out', 'udp', 'dport', p, 'counter', 'comment', '"gossip"');
    await this.nft('add', 'rule', 'inet', TABLE, 'out', 'tcp', 'dport', p, 'counter', 'comment', '"sync-in"');
    await this.nft('add', 'rule', 'inet', TABLE, 'out', 'tcp', 'sport', p, 'counter', 'comment', '"sync-out"');
    await this.nft('add', 'rule', 'inet', TABLE, 'out', 'jump', 'loss');
  }

  /** Drops each UDP gossip packet with probability p (on loopback a packet passes the output hook once). */
  async setLoss(p: number): Promise<void> {
    if (!(p >= 0 && p < 1)) throw new RangeError(`loss: expected a probability in [0, 1), got ${p}`);
    await this.nft('flush', 'chain', 'inet', TABLE, 'loss');
    const perMille = Math.round(p * 1000);
    if (perMille > 0) await this.nft('add', 'rule', 'inet', TABLE, 'loss', 'udp', 'dport', String(this.port), 'numgen', 'random', 'mod', '1000', '<', String(perMille), 'drop');
  }

  /** Bytes counted so far (before the loss chain: bytes the nodes sent). */
  async counters(): Promise<ByteCounters> {
    const { stdout } = await this.nft('-j', 'list', 'chain', 'inet', TABLE, 'out');
    const rules = (JSON.parse(stdout) as { nftables: NftRule[] }).nftables;
    const bytes = (comment: string): number => {
      const r = rules.find((x) => x.rule?.comment === comment)?.rule;
      return r?.expr?.find((e) => e.counter)?.counter?.bytes ?? 0;
    };
    return { gossip: bytes('gossip'), sync: bytes('sync-in') + bytes('sync-out') };
  }

  /** Deletes the namespace (its table goes with it); safe to call twice and from an exit handler. */
  deleteSync(): void {
    if (!this.created) return;
    this.created = false;
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }

  /** Can this process make namespaces and nftables tables? (root with ip and nft). */
  static async available(): Promise<boolean> {
    if (process.getuid?.() !== 0) return false;
    try {
      await run('ip', ['-V']);
      await run('nft', ['--version']);
      return true;
    } catch {
      return false;
    }
  }
}
