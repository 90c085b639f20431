// `fortros-lab up N`: N full nodes in a new lab (node1 founds the org, the others join with tokens), inits detached
// so they outlive the command, each node recorded in the state file as it is made; a failed up removes it all.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { DEFAULT_SUBNET_OCTET, Lab } from '@fortros/netlab';
import { LabCluster, type LaunchPlace } from '../cluster.js';
import { MAX_DEFAULT_LABS, STATE_VERSION } from '../constants.js';
import { LabExistsError } from '../errors.js';
import { nodeInfo } from '../fortctl.js';
import { DetachedInit } from '../node-process.js';
import type { TreeSpec } from '../service-tree.js';
import type { CliContext } from './context.js';
import { removeLab } from './down.js';
import { labLeftovers } from './leftovers.js';
import { labDir, listLabs, nodeLog, nodeRoot, writeState, type LabState } from './state.js';

/** Refuse a lab name already in use on this host (state directory, namespaces or sockets). */
async function refuseExisting(base: string, name: string): Promise<void> {
  if (existsSync(labDir(base, name))) throw new LabExistsError(name, `state directory ${labDir(base, name)}`);
  const found = await labLeftovers(name);
  if (found.namespaces.length > 0) throw new LabExistsError(name, `namespaces ${found.namespaces.join(', ')}`);
  if (found.sockets.length > 0) throw new LabExistsError(name, `wireguard-go sockets ${found.sockets.join(', ')}`);
}

/** The first of lab1, lab2, … free on this host. */
async function defaultName(base: string): Promise<string> {
  const taken = new Set(listLabs(base));
  for (let i = 1; i <= MAX_DEFAULT_LABS; i++) {
    const name = `lab${i}`;
    if (taken.has(name)) continue;
    try {
      await refuseExisting(base, name);
      return name;
    } catch (err) {
      if (!(err instanceof LabExistsError)) throw err;
    }
  }
  throw new LabExistsError(`lab1-lab${MAX_DEFAULT_LABS}`, 'every default name is taken: give --name');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function up(ctx: CliContext, nodes: number, nameFlag: string | undefined): Promise<number> {
  const name = nameFlag ?? (await defaultName(ctx.base));
  await refuseExisting(ctx.base, name);
  const dir = labDir(ctx.base, name);
  const state: LabState = { version: STATE_VERSION, name, netns: `${name}-lab`, subnetOctet: DEFAULT_SUBNET_OCTET, createdAt: new Date().toISOString(), nodes: [] };
  await writeState(dir, state);
  const disarm = ctx.onInterrupt(async () => {
    ctx.err(`fortros-lab: interrupted: removing lab ${name}`);
    await removeLab(ctx.base, name, state);
  });
  const started = new Map<string, number>();
  try {
    ctx.out(`lab ${name}: ${nodes} node(s), state in ${dir}`);
    const lab = await Lab.create({ prefix: name, subnetOctet: state.subnetOctet, guard: false });
    const launch = async (tree: TreeSpec, place: LaunchPlace): Promise<DetachedInit> => {
      const root = nodeRoot(dir, place.name);
      await mkdir(root, { recursive: true, mode: 0o700 });
      const node = { name: place.name, index: place.lab.index, netns: place.netns, address: place.lab.address, interfaceName: place.interfaceName, root, log: nodeLog(dir, place.name), pid: 0 };
      state.nodes.push(node);
      await writeState(dir, state);
      started.set(place.name, Date.now());
      const init = await DetachedInit.start({ name: place.name, root, netns: place.netns, logFile: node.log, tree, prepare: place.prepare });
      node.pid = init.pid;
      await writeState(dir, state);
      ctx.out(`${place.name}: booting in ${place.netns} (init pid ${init.pid}, underlay ${place.underlay})`);
      return init;
    };
    const cluster = new LabCluster(lab, launch);
    await cluster.boot(nodes, {
      onReady: async (node) => {
        const info = await nodeInfo(node.name, node.init.root);
        ctx.out(`${node.name}: ready after ${seconds(Date.now() - started.get(node.name)!)}, overlay ${info.overlayIp}, sees ${info.liveMembers} live member(s)`);
      },
    });
    disarm();
  } catch (err) {
    disarm();
    ctx.err(`fortros-lab: up ${nodes} --name ${name} failed: ${(err as Error).message}`);
    ctx.err(`fortros-lab: removing lab ${name}`);
    await removeLab(ctx.base, name, state);
    return 1;
  }
  const flag = nameFlag === undefined && listLabs(ctx.base).length === 1 ? '' : ` --name ${name}`;
  const next: [string, string][] = [
    [`status${flag}`, 'nodes, addresses, live members'],
    [`exec node1${flag} -- fortctl members`, 'a command inside a node (FORTROS_ROOT set)'],
    ...(nodes > 1 ? [[`partition node1 node2${nodes > 2 ? ',node3' : ''}${flag}`, 'split the underlay; `heal` undoes it'] as [string, string]] : []),
    [`kill node1${flag}`, 'kill -9 of a node; `restart node1` boots it again'],
    [`down${flag}`, 'remove everything the lab made'],
  ];
  const width = Math.max(...next.map(([c]) => c.length));
  ctx.out(`lab ${name} is up: ${nodes} node(s) in one org. Next (as root):`);
  for (const [c, what] of next) ctx.out(`  npx fortros-lab ${c.padEnd(width)}   ${what}`);
  return 0;
}
