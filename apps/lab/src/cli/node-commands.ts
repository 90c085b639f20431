// `fortros-lab exec`, `kill` and `restart`: a command inside a node, kill -9 of a node's tree, a killed node booted again.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:os';
import { WORKSPACE_BIN } from '../binaries.js';
import { NodeRunningError } from '../errors.js';
import { nodeInfo } from '../fortctl.js';
import { DetachedInit, killNamespace } from '../node-process.js';
import { chooseLab, initRuns, type CliContext } from './context.js';
import { findNode, labDir, readState, writeState } from './state.js';

/** Runs argv in NODE's namespace, FORTROS_ROOT set, the workspace's bin first on PATH; its exit code (128+N for signal N). */
export async function execIn(ctx: CliContext, nameFlag: string | undefined, ref: string, argv: string[]): Promise<number> {
  const state = await readState(ctx.base, chooseLab(ctx, nameFlag));
  const node = findNode(state, ref);
  const child = spawn('ip', ['netns', 'exec', node.netns, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, FORTROS_ROOT: node.root, PATH: `${WORKSPACE_BIN}:${process.env.PATH ?? ''}` },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

export async function killNode(ctx: CliContext, nameFlag: string | undefined, ref: string): Promise<number> {
  const state = await readState(ctx.base, chooseLab(ctx, nameFlag));
  const node = findNode(state, ref);
  const pids = await killNamespace(node.netns, `${node.name} of lab ${state.name}`);
  ctx.out(`${node.name}: killed (SIGKILL) ${pids.length} process(es) in ${node.netns}; \`fortros-lab restart ${node.name}\` boots it again`);
  return 0;
}

export async function restartNode(ctx: CliContext, nameFlag: string | undefined, ref: string): Promise<number> {
  const name = chooseLab(ctx, nameFlag);
  const state = await readState(ctx.base, name);
  const node = findNode(state, ref);
  if (initRuns(node)) throw new NodeRunningError(name, node.name, node.pid);
  // whatever was left in the namespace goes; run/ is RAM on a real node, empty after a reboot
  await killNamespace(node.netns, `${node.name} of lab ${name}`);
  await rm(join(node.root, 'run'), { recursive: true, force: true });
  const t0 = Date.now();
  const init = await DetachedInit.start({ name: node.name, root: node.root, netns: node.netns, logFile: node.log });
  node.pid = init.pid;
  await writeState(labDir(ctx.base, name), state);
  ctx.out(`${node.name}: booting again in ${node.netns} (init pid ${init.pid})`);
  await init.waitForState('maintainer', 'ready');
  const info = await nodeInfo(node.name, node.root);
  ctx.out(`${node.name}: ready after ${((Date.now() - t0) / 1000).toFixed(1)} s, overlay ${info.overlayIp}, sees ${info.liveMembers} live member(s)`);
  return 0;
}
