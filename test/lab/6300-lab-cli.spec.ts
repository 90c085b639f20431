// fortros-lab, the real CLI (issue 12): up 3, status, exec fortctl inside node 2, partition and heal, loss 0, kill -9
// of a node and its restart (it rejoins without a token), and down leaving no namespace, socket, process or state.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { listNetns, sweep } from '@fortros/netlab';
import { meshClusterPrefix } from '../harness/mesh-cluster.js';
import { skipUnlessMesh } from '../harness/mesh.js';
import { isAlive as alive } from '../harness/proc.js';
import { waitUntil } from '../harness/wait.js';

const LAB_BIN = fileURLToPath(new URL('../../apps/lab/bin/fortros-lab.js', import.meta.url));
const WG_SOCKETS = '/var/run/wireguard';
/** One CLI call (up of 3 nodes, restart) on a loaded machine. */
const CLI_TIMEOUT_MS = 300_000;
/** Until membership follows a partition, a heal or a restart. */
const MEMBERS_MS = 180_000;

interface NodeStatus {
  name: string;
  netns: string;
  pid: number;
  running: boolean;
  ready: boolean;
  liveMembers: string[];
  error: string | null;
}

describe('6300 fortros-lab: a lab cluster from the command line', function () {
  this.timeout(900_000);
  let base: string;
  let name: string;
  /** Every lab name a test used, removed after it whatever happened. */
  const names: string[] = [];
  const fresh = (): string => {
    name = meshClusterPrefix('lb');
    names.push(name);
    return name;
  };

  /** Everything on the host under lab name `n`: namespaces and wireguard-go sockets. */
  const traces = async (n: string): Promise<string[]> => [
    ...(await listNetns()).filter((x) => x.startsWith(`${n}-`)),
    ...(existsSync(WG_SOCKETS) ? readdirSync(WG_SOCKETS).filter((f) => f.startsWith(`${n}w`)) : []),
  ];
  const lab = async (...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> => {
    const r = await execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, ...args], { reject: false, timeout: CLI_TIMEOUT_MS, env: { FORTROS_LAB_STATE_DIR: undefined } });
    return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const ok = async (...args: string[]): Promise<string> => {
    const r = await lab(...args);
    assert.equal(r.code, 0, `fortros-lab ${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const status = async (): Promise<NodeStatus[]> => (JSON.parse(await ok('status', '--json')) as { nodes: NodeStatus[] }).nodes;
  /** Until node `n` sees exactly `members` live. */
  const sees = (n: string, members: string[], what: string): Promise<unknown> =>
    waitUntil(async () => {
      const s = (await status()).find((x) => x.name === n)!;
      return s.ready && JSON.stringify(s.liveMembers) === JSON.stringify(members);
    }, { what, timeoutMs: MEMBERS_MS, intervalMs: 1_000 });

  before(async function () {
    skipUnlessMesh(this);
    base = await mkdtemp(join(tmpdir(), 'fortros-lab-test-'));
  });
  afterEach(async () => {
    // down always (it fails harmlessly on a lab already removed); sweep what a failed down could leave
    for (const n of names.splice(0)) {
      await execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', n, 'down'], { reject: false, timeout: CLI_TIMEOUT_MS });
      await sweep(n).catch(() => undefined);
    }
  });
  after(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('up 3, status, exec, partition/heal, loss, kill + restart, down leaves nothing', async () => {
    fresh();
    const up = await ok('up', '3');
    for (const n of ['node1', 'node2', 'node3']) assert.match(up, new RegExp(`^${n}: ready after `, 'm'), `a ready line for ${n}`);
    assert.match(up, /fortros-lab status/, 'it says what to do next');
    assert.ok(existsSync(join(base, name, 'lab.json')), 'the state file');

    // a second up of the same lab is refused, naming it
    const again = await lab('up', '1');
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`lab ${name} exists already`));

    const all = ['node1', 'node2', 'node3'];
    for (const n of all) await sees(n, all, `${n} sees 3 live members`);
    const before = await status();
    assert.ok(before.every((s) => s.running && alive(s.pid)), 'every init runs, outliving `up`');
    const table = await ok('status');
    assert.match(table, /NODE\s+NAMESPACE\s+INIT\s+UNDERLAY\s+OVERLAY\s+READY\s+LIVE MEMBERS/);

    // exec: fortctl inside node 2 finds its root; exit codes pass through; a bad node is named
    const services = JSON.parse(await ok('exec', 'node2', '--', 'fortctl', 'services', '--json')) as { name: string; state: string }[];
    assert.equal(services.find((s) => s.name === 'maintainer')?.state, 'ready');
    const netns = await ok('exec', '2', '--', 'ip', 'netns', 'identify');
    assert.equal(netns.trim(), `${name}-n2`, 'the command runs in node 2’s namespace');
    assert.equal((await lab('exec', 'node2', '--', 'sh', '-c', 'exit 7')).code, 7);
    const missing = await lab('exec', 'node9', '--', 'true');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`lab ${name} has no node node9`));
    assert.equal((await lab('exec', 'node1')).code, 2, 'exec without a command is a usage error');

    // partition node3 off, then heal
    await ok('partition', 'node1,node2', 'node3');
    await sees('node3', ['node3'], 'node3 alone after the partition');
    await sees('node1', ['node1', 'node2'], 'node1 without node3 after the partition');
    await ok('heal');
    for (const n of all) await sees(n, all, `${n} sees 3 live members after heal`);
    await ok('loss', '0');

    // kill -9 of node2's whole tree, then restart: it rejoins without a token, on its own key
    const victim = before.find((s) => s.name === 'node2')!;
    await ok('kill', 'node2');
    assert.ok(!alive(victim.pid), 'node2’s init is gone');
    const dead = (await status()).find((s) => s.name === 'node2')!;
    assert.equal(dead.running, false);
    await ok('restart', 'node2');
    for (const n of all) await sees(n, all, `${n} sees 3 live members after node2's restart`);
    const after = await status();
    const node2 = after.find((s) => s.name === 'node2')!;
    assert.ok(node2.running && node2.pid !== victim.pid && alive(node2.pid), `node2 runs again under a new init: ${JSON.stringify(node2)}`);
    const log = readFileSync(join(base, name, 'nodes/node2/var/log/fortros/maintainer/current'), 'utf8');
    assert.match(log, /already a member of the org: rejoining with this node key; the join token is not used/);

    // down: no namespace, wireguard-go socket, process or state directory left
    const pids = after.map((s) => s.pid);
    const nsPids = (await Promise.all(after.map((s) => execa('ip', ['netns', 'pids', s.netns])))).flatMap((r) => String(r.stdout).split('\n').filter(Boolean).map(Number));
    assert.ok(nsPids.length >= after.length * 4, 'each namespace runs init and its services');
    const downOut = await ok('down');
    assert.match(downOut, new RegExp(`lab ${name} removed`));
    assert.deepEqual((await listNetns()).filter((n) => n.startsWith(`${name}-`)), [], 'no namespace left');
    const sockets = existsSync(WG_SOCKETS) ? readdirSync(WG_SOCKETS).filter((f) => f.startsWith(`${name}w`)) : [];
    assert.deepEqual(sockets, [], 'no wireguard-go socket left');
    assert.deepEqual([...pids, ...nsPids].filter(alive), [], 'no process left');
    assert.ok(!existsSync(join(base, name)), 'no state directory left');
    const gone = await lab('status');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, new RegExp(`no lab ${name}`));
  });

  it('up refuses a name in use on the host; down removes a half-made lab; Ctrl-C during up removes what it made', async () => {
    // a half-made lab: a namespace and a wireguard-go socket under the name, a state directory without a state file
    fresh();
    await execa('ip', ['netns', 'add', `${name}-n1`]);
    await mkdir(WG_SOCKETS, { recursive: true });
    await writeFile(join(WG_SOCKETS, `${name}w1.sock`), '');
    const refused = await lab('up', '1');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`lab ${name} exists already \\(namespaces ${name}-n1\\)`));
    await mkdir(join(base, name, 'nodes'), { recursive: true });
    assert.match(await ok('down'), new RegExp(`lab ${name} removed: .*1 namespace\\(s\\), 1 wireguard-go socket\\(s\\), state`));
    assert.deepEqual(await traces(name), []);
    assert.ok(!existsSync(join(base, name)));
    assert.equal((await lab('down')).code, 1, 'down of a lab that is not there fails');

    // SIGINT while node1 boots: up removes the lab and exits 130
    fresh();
    const up = execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, 'up', '2'], { reject: false, timeout: CLI_TIMEOUT_MS });
    let out = '';
    up.stdout!.on('data', (d: Buffer) => (out += String(d)));
    await waitUntil(() => /node1: booting/.test(out), { what: 'node1 booting', timeoutMs: CLI_TIMEOUT_MS });
    const pid = JSON.parse(readFileSync(join(base, name, 'lab.json'), 'utf8')).nodes[0].pid as number;
    up.kill('SIGINT');
    const r = await up;
    assert.equal(r.exitCode, 130, String(r.stderr));
    assert.match(String(r.stderr), new RegExp(`interrupted: removing lab ${name}`));
    assert.deepEqual(await traces(name), [], 'no namespace or socket left');
    assert.ok(!alive(pid), 'node1’s init is gone');
    assert.ok(!existsSync(join(base, name)), 'no state directory left');
  });
});
