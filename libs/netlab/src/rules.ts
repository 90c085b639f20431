// The pure parts of the lab: which addresses each node blocks in a partition, the nft scripts that do it (and loss),
// and the parse of `ip netns list`.
import { LabArgumentError } from './errors.js';

export interface Addressed {
  netns: string;
  address: string;
}

/** For each node listed in `groups`, the addresses of the nodes in the other groups (nodes not listed: untouched). */
export function partitionPlan(groups: readonly (readonly Addressed[])[]): Map<string, string[]> {
  const seen = new Set<string>();
  for (const n of groups.flat()) {
    if (seen.has(n.netns)) throw new LabArgumentError('groups', 'each node in one group only', n.netns);
    seen.add(n.netns);
  }
  const plan = new Map<string, string[]>();
  groups.forEach((group, g) => {
    const others = groups.flatMap((o, j) => (j === g ? [] : o.map((n) => n.address)));
    if (others.length > 0) for (const n of group) plan.set(n.netns, others);
  });
  return plan;
}

/** The chains of a partition table that drop traffic to and from `blocked`. */
export function partitionChains(blocked: readonly string[]): string[] {
  const set = `{ ${blocked.join(', ')} }`;
  return [
    `chain input { type filter hook input priority -10; policy accept; ip saddr ${set} drop; }`,
    `chain output { type filter hook output priority -10; policy accept; ip daddr ${set} drop; }`,
  ];
}

/** The chains of a loss table dropping `percent` of the packets on `link` each way (none for 0). */
export function lossChains(link: string, percent: number): string[] {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new LabArgumentError('percent', 'an integer 0-100', percent);
  if (percent === 0) return [];
  // nft's numgen compares against 0-99, so 100% is a plain drop
  const match = percent === 100 ? '' : `numgen random mod 100 < ${percent} `;
  return [
    `chain input { type filter hook input priority -20; policy accept; iifname "${link}" ${match}drop; }`,
    `chain output { type filter hook output priority -20; policy accept; oifname "${link}" ${match}drop; }`,
  ];
}

/** An nft script replacing table `inet table` with `chains` (none: the table is only removed). "add" then "delete"
 *  makes the removal succeed whether or not the table existed. */
export function nftReplaceScript(table: string, chains: readonly string[]): string {
  const lines = [`add table inet ${table}`, `delete table inet ${table}`];
  if (chains.length > 0) lines.push(`table inet ${table} {`, ...chains, '}');
  return `${lines.join('\n')}\n`;
}

/** The names in `ip netns list` output (its lines are "NAME" or "NAME (id: N)"). */
export function parseNetnsList(text: string): string[] {
  return text.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n.length > 0);
}
