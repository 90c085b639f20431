// `fortros-lab partition`, `heal` and `loss`: nftables rules in the node namespaces of a running lab (libs/netlab).
import { Lab, type LabNode } from '@fortros/netlab';
import { chooseLab, type CliContext } from './context.js';
import { findNode, readState, type LabState, type NodeState } from './state.js';

async function attach(ctx: CliContext, nameFlag: string | undefined): Promise<{ state: LabState; lab: Lab; labNode: (n: NodeState) => LabNode }> {
  const state = await readState(ctx.base, chooseLab(ctx, nameFlag));
  const lab = Lab.attach(state.name, state.nodes.map((n) => ({ index: n.index, netns: n.netns, address: n.address })), state.subnetOctet);
  return { state, lab, labNode: (n) => lab.nodes.find((x) => x.netns === n.netns)! };
}

export async function partition(ctx: CliContext, nameFlag: string | undefined, groups: string[][]): Promise<number> {
  const { state, lab, labNode } = await attach(ctx, nameFlag);
  const nodes = groups.map((g) => g.map((ref) => findNode(state, ref)));
  await lab.partition(nodes.map((g) => g.map(labNode)));
  ctx.out(`lab ${state.name} partitioned: ${nodes.map((g) => `{${g.map((n) => n.name).join(',')}}`).join(' | ')}; \`fortros-lab heal\` undoes it`);
  return 0;
}

export async function heal(ctx: CliContext, nameFlag: string | undefined): Promise<number> {
  const { state, lab } = await attach(ctx, nameFlag);
  await lab.heal();
  ctx.out(`lab ${state.name} healed: no partition`);
  return 0;
}

export async function loss(ctx: CliContext, nameFlag: string | undefined, percent: number, refs: string[]): Promise<number> {
  const { state, lab, labNode } = await attach(ctx, nameFlag);
  const nodes = refs.length === 0 ? state.nodes : refs.map((r) => findNode(state, r));
  for (const n of nodes) await lab.setLoss(labNode(n), percent);
  ctx.out(`lab ${state.name}: ${percent}% underlay loss on ${nodes.map((n) => n.name).join(',')}`);
  return 0;
}
