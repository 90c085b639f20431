// fortros-lab console (issue 12, "the console shows it"): on a 2-node lab, `console node1 --port P` starts node1's
// console service and serves it on the host's 127.0.0.1:P through a relay in node1's namespace: the page and the
// members JSON come through; Ctrl-C ends the relay; down leaves nothing.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { listNetns, sweep } from '@fortros/netlab';
import { meshClusterPrefix } from '../harness/mesh-cluster.js';
import { skipUnlessMesh } from '../harness/mesh.js';
import { isAlive as alive } from '../harness/proc.js';
import { waitUntil } from '../harness/wait.js';

const LAB_BIN = fileURLToPath(new URL('../../apps/lab/bin/fortros-lab.js', import.meta.url));
const WG_SOCKETS = '/var/run/wireguard';
/** One CLI call (up of 2 nodes, console starting the service) on a loaded machine. */
const CLI_TIMEOUT_MS = 300_000;
/** Until node1 sees both members, through the console. */
const MEMBERS_MS = 180_000;

/** A server on a free loopback port (the port is taken while it listens). */
const listening = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server): number => (s.address() as AddressInfo).port;
/** A port free when asked (taken and released at once). */
async function freePort(): Promise<number> {
  const s = await listening();
  const port = portOf(s);
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Pids in namespace `netns` whose command line names `needle`. */
async function pidsIn(netns: string, needle: string): Promise<number[]> {
  const r = await execa('ip', ['netns', 'pids', netns], { reject: false });
  return String(r.stdout)
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    });
}

describe('6310 fortros-lab console: a lab node\'s console in the host\'s browser', function () {
  this.timeout(900_000);
  let base: string;
  let name: string;

  before(async function () {
    skipUnlessMesh(this);
    base = await mkdtemp(join(tmpdir(), 'fortros-labcon-test-'));
    name = meshClusterPrefix('lc');
  });
  after(async () => {
    if (!base) return;
    await execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, 'down'], { reject: false, timeout: CLI_TIMEOUT_MS });
    await sweep(name).catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  const lab = async (...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> => {
    const r = await execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, ...args], { reject: false, timeout: CLI_TIMEOUT_MS, env: { FORTROS_LAB_STATE_DIR: undefined } });
    return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  it('up 2, console node1 --port P serves the page and members through the host port, Ctrl-C ends the relay, down leaves nothing', async () => {
    const up = await lab('up', '2');
    assert.equal(up.code, 0, `up 2: ${up.stdout}\n${up.stderr}`);

    // a node the lab does not have is named; a port in use is refused
    const missing = await lab('console', 'node9');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`lab ${name} has no node node9`));
    const taken = await listening();
    const busy = await lab('console', 'node1', '--port', String(portOf(taken)));
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, new RegExp(`127\\.0\\.0\\.1:${portOf(taken)} is in use`));
    taken.close();
    assert.deepEqual(await pidsIn(`${name}-n1`, 'relay-main.js'), [], 'a refused console leaves no relay');

    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const child = execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, 'console', 'node1', '--port', String(port)], { reject: false, timeout: CLI_TIMEOUT_MS, env: { FORTROS_LAB_STATE_DIR: undefined } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += String(d)));
    try {
      await waitUntil(() => out.includes(`console at ${url}`), { what: `the console URL ${url} printed`, timeoutMs: CLI_TIMEOUT_MS });
      const relays = await pidsIn(`${name}-n1`, 'relay-main.js');
      assert.equal(relays.length, 1, 'one relay in node1’s namespace');

      const page = await fetch(url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /maintainer/, 'node1’s services page lists its maintainer');
      assert.match(html, /console/, 'and its console service');
      const members = await waitUntil(async () => {
        const r = await fetch(`${url}api/members`);
        if (r.status !== 200) return false;
        const body = (await r.json()) as { members: unknown[] };
        return body.members.length === 2 ? body.members : false;
      }, { what: 'the members JSON through the host port listing 2 members', timeoutMs: MEMBERS_MS, intervalMs: 1_000 });
      assert.equal(members.length, 2);

      // Ctrl-C: the command ends, its relay with it and the socket; the console service keeps running
      child.kill('SIGINT');
      const r = await child;
      assert.equal(r.exitCode, 130, String(r.stderr));
      assert.deepEqual(relays.filter(alive), [], 'the relay is gone');
      assert.deepEqual(readdirSync(join(base, name)).filter((f) => f.endsWith('.sock')), [], 'no relay socket left');
      await assert.rejects(fetch(url), 'the host port is closed');
      const services = await lab('exec', 'node1', '--', 'fortctl', 'services', '--json');
      assert.equal((JSON.parse(services.stdout) as { name: string; state: string }[]).find((s) => s.name === 'console')?.state, 'ready');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await child;
    }

    // without --port: the first free port from 8480 on; killed -9, its relay still ends (its stdin closes)
    const again = execa(process.execPath, [LAB_BIN, '--state-dir', base, '--name', name, 'console', '1'], { reject: false, timeout: CLI_TIMEOUT_MS, env: { FORTROS_LAB_STATE_DIR: undefined } });
    let said = '';
    again.stdout!.on('data', (d: Buffer) => (said += String(d)));
    const printed = await waitUntil(() => /console at http:\/\/127\.0\.0\.1:(\d+)\//.exec(said) ?? false, { what: 'a console URL printed', timeoutMs: CLI_TIMEOUT_MS });
    const defaultPort = Number(printed[1]);
    assert.ok(defaultPort >= 8480, `port ${defaultPort} from 8480 on`);
    assert.equal((await fetch(`http://127.0.0.1:${defaultPort}/api/members`)).status, 200);
    const relay = await pidsIn(`${name}-n1`, 'relay-main.js');
    assert.equal(relay.length, 1);
    again.kill('SIGKILL');
    await again;
    await waitUntil(() => relay.every((p) => !alive(p)), { what: 'the relay to end after its command was killed', timeoutMs: CLI_TIMEOUT_MS });

    // down: no namespace, socket, process or state left
    const nsPids = (await Promise.all([1, 2].map((i) => execa('ip', ['netns', 'pids', `${name}-n${i}`])))).flatMap((r) => String(r.stdout).split('\n').filter(Boolean).map(Number));
    const down = await lab('down');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual((await listNetns()).filter((n) => n.startsWith(`${name}-`)), [], 'no namespace left');
    assert.deepEqual(existsSync(WG_SOCKETS) ? readdirSync(WG_SOCKETS).filter((f) => f.startsWith(`${name}w`)) : [], [], 'no wireguard-go socket left');
    assert.deepEqual(nsPids.filter(alive), [], 'no process left');
    assert.ok(!existsSync(join(base, name)), 'no state directory left');
  });
});
