// examples/node as `npm start` boots it (its real service tree, the repo's bins by name on PATH, settings by
// environment only), as two machines: each node in a network namespace of its own (libs/netlab), on real WireGuard.
// The first founds an org on built-in defaults (but its namespace's address and interface name): every service of
// `default` ready, generation ok, the next steps printed; a token from fortctl; the second joins with the documented
// one-command environment (FORTROS_JOIN_TOKEN, FORTROS_BIND); both see 2 alive members; a workload put on node 1 runs
// on node 2; SIGTERM to init drains it (its graceful stop ran) and leaves no process and no interface behind.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Lab, type LabNode } from '@fortros/netlab';
import { fortctl } from '../harness/ctl.js';
import { copyExampleServices, EXAMPLE_SERVICES, exampleEnv } from '../harness/example-node.js';
import { InitProcess } from '../harness/init.js';
import { skipUnlessMesh } from '../harness/mesh.js';
import { meshClusterPrefix, UNDERLAY_PORT } from '../harness/mesh-cluster.js';
import { putWorkload, shProcesses, waitWorkload } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

/** Booting a whole node on a loaded machine (wireguard-go, three daemons, a join): generous. */
const BOOT_MS = 180_000;
const GENERATION = 'g1';
const MARKER = `nd6400w${process.pid}`;
const STOPPED_FILE = join(tmpdir(), `${MARKER}.stopped`);

interface Node {
  name: string;
  lab: LabNode;
  iface: string;
  init: InitProcess;
}

async function ctlJson<T>(node: Node, args: string[]): Promise<T> {
  const r = await fortctl(node.init.root, [...args, '--json']);
  if (r.code !== 0) throw new Error(`fortctl ${args.join(' ')} on ${node.name}: exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Processes still running in the node's namespace. */
async function netnsPids(node: Node): Promise<number[]> {
  const r = await execa('ip', ['netns', 'pids', node.lab.netns], { reject: false });
  return String(r.stdout).split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

/** The last lines of every service log of `node`, for a failure message. */
async function serviceLogs(node: Node): Promise<string> {
  const base = node.init.path('var/log/fortros');
  const out: string[] = [];
  for (const svc of await readdir(base).catch(() => [] as string[])) {
    const text = await readFile(join(base, svc, 'current'), 'utf8').catch(() => '');
    out.push(`--- ${svc}`, ...text.split('\n').slice(-15));
  }
  return out.join('\n');
}

async function hasInterface(node: Node): Promise<boolean> {
  const r = await execa('ip', ['-n', node.lab.netns, 'link', 'show', node.iface], { reject: false });
  return r.exitCode === 0;
}

describe('examples/node: a whole node, and a second joining in one command', function () {
  this.timeout(6 * BOOT_MS);
  let lab: Lab | undefined;
  const nodes: Node[] = [];

  before(function () {
    skipUnlessMesh(this);
  });

  after(async function () {
    this.timeout(120_000);
    await Promise.all(nodes.map((n) => n.init.cleanup()));
    // a failed test may leave workloads (own sessions, outside init's groups): every process of each namespace, by pid
    for (const n of nodes) {
      for (const pid of await netnsPids(n)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    await lab?.destroy();
    await rm(STOPPED_FILE, { force: true });
  });

  /** Boot examples/node in a new lab namespace with the environment a person would give on that machine. */
  async function boot(name: string, env: Record<string, string> = {}): Promise<Node> {
    const labNode = await lab!.addNode();
    const iface = lab!.interfaceName(labNode);
    const vars = { FORTROS_NAME: name, FORTROS_INTERFACE: iface, FORTROS_BIND: `${labNode.address}:${UNDERLAY_PORT}`, FORTROS_GENERATION: GENERATION, ...env };
    const init = await InitProcess.start({}, { wrap: ['ip', 'netns', 'exec', labNode.netns, ...exampleEnv(vars)], prepare: (root) => copyExampleServices(root) });
    lab!.registry.add({ kind: 'pid', pid: init.pid });
    const node = { name, lab: labNode, iface, init };
    nodes.push(node);
    return node;
  }

  /** Every service of `default` (from examples/node's own contents file) ready, and the generation marked ok. */
  async function assertUp(node: Node): Promise<void> {
    await node.init.waitForState('next-steps', 'ready', { timeoutMs: BOOT_MS }).catch(async (err: Error) => {
      const services = await fortctl(node.init.root, ['services']);
      throw new Error(`${node.name}: ${err.message}\n${services.stdout}${services.stderr}\n${await serviceLogs(node)}\n${node.init.tail(40)}`);
    });
    const contents = (await readFile(join(EXAMPLE_SERVICES, 'default/contents'), 'utf8')).split('\n').filter((l) => l !== '');
    const services = await ctlJson<{ name: string; state: string }[]>(node, ['services']);
    for (const name of contents) assert.equal(services.find((s) => s.name === name)?.state, 'ready', `${node.name}: ${name} ready`);
    assert.equal((await readFile(node.init.path('persist/generations', GENERATION, 'status'), 'utf8')).trim(), 'ok');
  }

  it('boots the first node (founding an org), a second joins by token, a workload runs there, shutdown leaves nothing', async () => {
    lab = await Lab.create({ prefix: meshClusterPrefix('nd') });
    const first = await boot('node-one');
    await assertUp(first);
    // on init's stderr when it can be reopened (a terminal, a pipe); the harness gives init a socket: the service log
    const hint = await waitUntil(async () => {
      const text = first.init.output.join('\n') + (await readFile(first.init.path('var/log/fortros/next-steps/current'), 'utf8').catch(() => ''));
      return text.includes('FORTROS_JOIN_TOKEN=') && text;
    }, { what: 'the next steps printed' });
    assert.match(hint, /FortrOS node node-one is up/);
    assert.match(hint, /fortctl --root \S+ org token create/);

    const tokenRun = await fortctl(first.init.root, ['org', 'token', 'create']);
    assert.equal(tokenRun.code, 0, tokenRun.stderr);
    const token = tokenRun.stdout.trim();
    const second = await boot('node-two', { FORTROS_JOIN_TOKEN: token });
    await assertUp(second);

    for (const node of [first, second]) {
      await waitUntil(async () => (await ctlJson<{ state: string }[]>(node, ['members'])).filter((m) => m.state === 'alive').length === 2, {
        what: `2 alive members seen by ${node.name}`,
        timeoutMs: BOOT_MS,
      });
    }

    // graceful stop leaves a mark: SIGTERM runs the trap, a SIGKILL would not
    const script = `trap 'echo stopped > ${STOPPED_FILE}; exit 0' TERM; while :; do sleep 1; done # ${MARKER}`;
    await putWorkload(first.init.root, { id: 'web', driver: 'process', command: '/bin/sh', args: ['-c', script], restart: 'always', placement: { nodes: ['node-two'] } });
    const running = await waitWorkload(second.init.root, 'web', (w) => w.phase === 'running', { timeoutMs: BOOT_MS });
    assert.equal(shProcesses(MARKER).length, 1, 'one copy runs');
    assert.deepEqual(shProcesses(MARKER), [running.pid]);

    for (const node of [second, first]) {
      node.init.signal('SIGTERM');
      const exit = await node.init.waitForExit({ timeoutMs: BOOT_MS });
      assert.equal(exit.code, 0, `${node.name}: init exit ${JSON.stringify(exit)}`);
    }
    assert.equal((await readFile(STOPPED_FILE, 'utf8')).trim(), 'stopped', 'the workload was stopped gracefully (drained)');
    assert.deepEqual(shProcesses(MARKER), [], 'no workload left');
    for (const node of nodes) {
      await waitUntil(async () => (await netnsPids(node)).length === 0, { what: `no process left in ${node.name}'s namespace`, timeoutMs: 30_000 });
      assert.equal(await hasInterface(node), false, `${node.name}: ${node.iface} removed`);
      assert.equal(existsSync(`/var/run/wireguard/${node.iface}.sock`), false, `${node.name}: no wireguard-go socket left`);
    }
  });
});
