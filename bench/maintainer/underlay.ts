// The mesh rows' view of a lab's underlay: bytes each node sent and received, read from its bridge port's counters
// (a veth in the lab namespace), and packet loss on the bridge itself (nftables, bridge family).
import { run, type Lab, type LabNode } from '@fortros/netlab';

/** The nft table the bench adds in the lab namespace (removed with the namespace). */
const LOSS_TABLE = 'fortros_mbench_loss';

export interface PortBytes {
  /** Bytes the node sent onto the underlay (its bridge port received them). */
  sent: number;
  /** Bytes the bridge sent to the node. */
  received: number;
}

interface LinkJson {
  ifname: string;
  stats64?: { rx?: { bytes: number }; tx?: { bytes: number } };
}

/**
 * Per lab node, the byte counters of its bridge port `v<index>` (`ip -s link` in the lab namespace): Ethernet frames
 * as the veth counts them (14-byte header, no FCS), carrying WireGuard's UDP and the admission TCP. Ethernet header included.
 */
export async function portBytes(lab: Lab, nodes: readonly LabNode[]): Promise<Map<LabNode, PortBytes>> {
  const links = JSON.parse(await run('ip', ['-n', lab.netns, '-j', '-s', 'link', 'show'])) as LinkJson[];
  const out = new Map<LabNode, PortBytes>();
  for (const node of nodes) {
    const link = links.find((l) => l.ifname === `v${node.index}`);
    if (!link?.stats64) throw new Error(`lab ${lab.netns}: no counters for bridge port v${node.index} of ${node.netns}`);
    out.set(node, { sent: link.stats64.rx?.bytes ?? 0, received: link.stats64.tx?.bytes ?? 0 });
  }
  return out;
}

/**
 * Drops `perMille`/1000 of the IPv4 frames the lab's bridge forwards between nodes (0 removes the loss). On the bridge,
 * so a packet between two nodes is lost once with that probability; netlab's per-node loss acts on each end's link
 * (in and out), which would compound to 1 - (1 - p)² between two lossy nodes.
 */
export async function setBridgeLoss(lab: Lab, perMille: number): Promise<void> {
  if (!Number.isInteger(perMille) || perMille < 0 || perMille >= 1000) throw new RangeError(`bridge loss: expected an integer 0-999 per mille, got ${perMille}`);
  const lines = [`add table bridge ${LOSS_TABLE}`, `delete table bridge ${LOSS_TABLE}`];
  if (perMille > 0) {
    lines.push(`table bridge ${LOSS_TABLE} {`, `chain forward { type filter hook forward priority -20; policy accept; ether type ip numgen random mod 1000 < ${perMille} drop; }`, '}');
  }
  await run('ip', ['netns', 'exec', lab.netns, 'nft', '-f', '-'], { input: `${lines.join('\n')}\n` });
}
