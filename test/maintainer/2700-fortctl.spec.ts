// fortctl's maintainer commands against real fortros-maintainer clusters: node, members (+ --watch), org get and
// workload put/list/get/delete, human and --json, their exit codes, and a spec put on one node read on another.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupFortctlAfterEach, fortctl, jsonLines, startFortctl, type FortctlResult } from '../harness/ctl.js';
import { Cluster, cleanupAfterEach, type MaintainerNode } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

const MEMBER_FIELDS = ['id', 'name', 'state', 'incarnation', 'address', 'overlayIp', 'publicKey', 'labels'];
const NODE_FIELDS = ['id', 'name', 'address', 'overlayIp', 'publicKey', 'labels', 'incarnation', 'ready', 'orgId', 'liveMembers', 'stats'];
/** How long a check of live cluster state may be retried (ms): a loaded 2-core box can briefly suspect a live member. */
const LIVE_CHECK_TIMEOUT_MS = 60_000;
const LIVE_CHECK_INTERVAL_MS = 250;

/** `fortctl --socket <node's socket> ARGS...` (the root points elsewhere, so only --socket can find the node). */
const ctl = (node: MaintainerNode, args: readonly string[]): Promise<FortctlResult> => fortctl(node.cluster.dir, ['--socket', node.socket, ...args]);

function ok(r: FortctlResult, what: string): string {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/**
 * Runs `fortctl ARGS` on `node` until it exits 0 with a stdout `accept` takes (returns non-undefined) or the deadline
 * passes; the error then shows the last run. For checks of live state (every member alive, every record synced).
 */
async function ctlUntil<T>(node: MaintainerNode, args: readonly string[], accept: (stdout: string) => T | undefined, what: string): Promise<T> {
  let last: FortctlResult | undefined;
  try {
    return await waitUntil(
      async () => {
        last = await ctl(node, args);
        return last.code === 0 ? accept(last.stdout) : undefined;
      },
      { timeoutMs: LIVE_CHECK_TIMEOUT_MS, intervalMs: LIVE_CHECK_INTERVAL_MS, what },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nlast fortctl ${args.join(' ')}: exit ${last?.code}\nstdout: ${last?.stdout}\nstderr: ${last?.stderr}`, { cause: err });
  }
}

describe('fortctl: maintainer commands', function () {
  this.timeout(240_000);
  cleanupAfterEach();
  cleanupFortctlAfterEach();

  let specDir: string;
  beforeEach(async () => (specDir = await mkdtemp(join(tmpdir(), 'fortctl-specs-'))));
  afterEach(async () => rm(specDir, { recursive: true, force: true }));

  it('node, members and org get, as tables and as --json with the DESIGN §6 names', async () => {
    const cluster = await Cluster.create();
    const [a, b] = await cluster.startNodes(3);
    await cluster.waitForMembers((m) => m.length === 3 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: '3 alive members everywhere' });
    const ids = new Map(await Promise.all(cluster.nodes.map(async (n) => [n.spec.name, (await n.node()).id] as const)));

    const node = await ctlUntil(
      a!,
      ['node', '--json'],
      (out) => {
        const n = JSON.parse(out) as Record<string, unknown>;
        return n['liveMembers'] === 3 ? n : undefined;
      },
      'node --json with 3 live members',
    );
    assert.deepEqual(Object.keys(node), NODE_FIELDS);
    assert.equal(node['id'], ids.get('n0'));
    assert.equal(node['name'], 'n0');
    assert.equal(node['address'], a!.address);
    assert.equal(node['ready'], true);
    assert.equal(node['liveMembers'], 3);
    assert.equal(typeof (node['stats'] as Record<string, unknown>)['gossipPacketsIn'], 'number');
    const text = await ctlUntil(a!, ['node'], (out) => (/^liveMembers: +3$/m.test(out) ? out : undefined), 'node with 3 live members');
    assert.match(text, new RegExp(`^id: +${ids.get('n0')}$`, 'm'));
    assert.match(text, /^ready: +yes$/m);
    assert.match(text, /^liveMembers: +3$/m);
    // without --socket, the default <root>/run/fortros/maintainer.sock
    assert.equal(JSON.parse(ok(await fortctl(b!.root, ['node', '--json']), 'node via --root')).name, 'n1');

    const members = await ctlUntil(
      b!,
      ['members', '--json'],
      (out) => {
        const m = JSON.parse(out) as Record<string, unknown>[];
        return m.length === 3 && m.every((x) => x['state'] === 'alive') ? m : undefined;
      },
      'members --json: 3 alive',
    );
    for (const m of members) {
      assert.deepEqual(Object.keys(m), MEMBER_FIELDS);
      assert.equal(m['state'], 'alive');
      assert.equal(m['id'], ids.get(m['name'] as string));
      assert.equal(typeof m['incarnation'], 'number');
      assert.equal(typeof m['publicKey'], 'string');
    }
    assert.deepEqual(members.map((m) => m['id']), [...ids.values()].sort());
    const rowOf = (table: string[], n: MaintainerNode): string | undefined => table.find((l) => l.startsWith(ids.get(n.spec.name)!) && l.includes(n.address));
    const table = await ctlUntil(
      b!,
      ['members'],
      (out) => {
        const t = out.trimEnd().split('\n');
        return cluster.nodes.every((n) => / alive /.test(rowOf(t, n) ?? '')) ? t : undefined;
      },
      'members: a row for each node, alive',
    );
    assert.deepEqual(table[0]!.split(/\s+/), ['ID', 'NAME', 'STATE', 'INCARNATION', 'ADDRESS', 'OVERLAY-IP', 'LABELS']);
    assert.equal(table.length, 4);

    // every node's member record reaches a's org document (written after each join, synced in the background)
    const org = await ctlUntil(
      a!,
      ['org', 'get'],
      (out) => {
        const o = JSON.parse(out) as Record<string, Record<string, unknown>>;
        return Object.keys(o['members'] ?? {}).length === 3 ? o : undefined;
      },
      'org get with the member records of all 3 nodes',
    );
    assert.deepEqual(Object.keys(org).sort(), ['members', 'observed', 'settings', 'workloads']);
    assert.deepEqual(Object.keys(org['members']!).sort(), [...ids.values()].sort());
    assert.equal(org['settings']!['orgId'], node['orgId']);
    assert.deepEqual(JSON.parse(ok(await ctl(a!, ['org', 'get', '--json']), 'org get --json')), org);

    for (const cmd of [['node'], ['members'], ['org'], ['workload']]) {
      const help = ok(await ctl(a!, [...cmd, '--help']), `${cmd[0]} --help`);
      assert.match(help, new RegExp(`^Usage: fortctl ${cmd[0]}`));
      assert.match(help, /maintainer\.sock/);
    }
    const usage = await ctl(a!, ['org', 'put']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /org: unknown subcommand "put"/);
  });

  it('workload put on one node is read on another; list, get and delete, human and --json; bad specs exit 1 naming the field', async () => {
    const cluster = await Cluster.create();
    const [a, b] = await cluster.startNodes(2);
    const specFile = join(specDir, 'web.json');
    await writeFile(specFile, JSON.stringify({ id: 'web', driver: 'process', command: '/usr/bin/python3', args: ['-m', 'http.server', '8080'], placement: { nodes: ['n1'] } }));
    const normalised = { id: 'web', driver: 'process', command: '/usr/bin/python3', args: ['-m', 'http.server', '8080'], env: {}, restart: 'always', placement: { nodes: ['n1'] }, keys: [] };

    assert.deepEqual(JSON.parse(ok(await ctl(a!, ['workload', 'put', specFile]), 'workload put')), normalised);
    const onB = await waitUntil(
      async () => {
        const r = await ctl(b!, ['workload', 'get', 'web', '--json']);
        return r.code === 0 ? r.stdout : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'workload web via fortctl on n1' },
    );
    assert.deepEqual(JSON.parse(onB), normalised);
    assert.deepEqual(JSON.parse(ok(await ctl(b!, ['workload', 'get', 'web']), 'workload get')), normalised);
    assert.deepEqual(JSON.parse(ok(await ctl(b!, ['workload', 'list', '--json']), 'workload list --json')), [normalised]);
    const list = ok(await ctl(b!, ['workload', 'list']), 'workload list').trimEnd().split('\n');
    assert.match(list[0]!, /^ID +DRIVER +RESTART +PLACEMENT +RUNS$/);
    assert.match(list[1]!, /^web +process +always +nodes: n1 +\/usr\/bin\/python3 -m http\.server 8080$/);

    const badFile = join(specDir, 'bad.json');
    await writeFile(badFile, JSON.stringify({ id: 'bad', driver: 'process', command: '/bin/true', placement: { selector: { zone: 'a' }, replicas: 0 } }));
    const bad = await ctl(a!, ['workload', 'put', badFile]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /^fortctl: workload put: .*placement\.replicas/m);
    assert.equal(bad.stdout, '');
    const notJsonFile = join(specDir, 'not.json');
    await writeFile(notJsonFile, '{"id": ');
    const notJson = await ctl(a!, ['workload', 'put', notJsonFile, '--json']);
    assert.equal(notJson.code, 1, notJson.stderr);
    assert.match(notJson.stderr, /spec_json/);
    const missingFile = join(specDir, 'missing.json');
    const missing = await ctl(a!, ['workload', 'put', missingFile]);
    assert.equal(missing.code, 2);
    assert.ok(missing.stderr.includes(missingFile), missing.stderr);

    const none = await ctl(a!, ['workload', 'get', 'nope']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /NOT_FOUND/);

    assert.equal(ok(await ctl(b!, ['workload', 'delete', 'web']), 'workload delete').trim(), 'deleted workload web');
    await waitUntil(
      async () => {
        const r = await ctl(a!, ['workload', 'list', '--json']);
        return r.code === 0 && (JSON.parse(r.stdout) as unknown[]).length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the delete on n0' },
    );
    const again = await ctl(a!, ['workload', 'delete', 'web', '--json']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /NOT_FOUND/);
    assert.deepEqual(JSON.parse(ok(await ctl(a!, ['workload', 'put', specFile, '--json']), 'put again')), normalised);
    assert.deepEqual(JSON.parse(ok(await ctl(a!, ['workload', 'delete', 'web', '--json']), 'delete --json')), { id: 'web' });
  });

  it('members --watch prints the snapshot, then a kill -9 node going dead; Ctrl-C exits 0; a dead socket exits 3', async () => {
    const cluster = await Cluster.create();
    const [a, , c] = await cluster.startNodes(3);
    await cluster.waitForMembers((m) => m.length === 3 && m.every((x) => x.state === 'MEMBER_STATE_ALIVE'), { what: '3 alive members everywhere' });
    const victim = (await c!.node()).id;

    const json = startFortctl(cluster.dir, ['--socket', a!.socket, 'members', '--watch', '--json']);
    const human = startFortctl(cluster.dir, ['--socket', a!.socket, 'members', '-w']);
    await json.waitForLine((l) => l.includes('"synced"'), { what: 'the synced event (json)' });
    await human.waitForLine((l) => / synced$/.test(l), { what: 'the synced line' });
    // the snapshot is everything up to the first synced: live events (a late suspicion on a loaded box) may follow
    const events = jsonLines<{ type: string; at: string; member: Record<string, unknown> | null }>(json.lines);
    const snapshot = events.slice(0, events.findIndex((e) => e.type === 'synced') + 1);
    assert.deepEqual(snapshot.map((e) => e.type), ['current', 'current', 'current', 'synced']);
    for (const e of snapshot.slice(0, 3)) assert.deepEqual(Object.keys(e.member!), MEMBER_FIELDS);
    assert.ok(human.lines.some((l) => new RegExp(` current ${victim} n2 (alive|suspect) inc=`).test(l)), human.lines.join('\n'));

    await c!.kill9();
    await json.waitForLine((l) => {
      const e = JSON.parse(l) as { type: string; member: { id: string; state: string } | null };
      return e.type === 'dead' && e.member?.id === victim && e.member.state === 'dead';
    }, { timeoutMs: 60_000, what: `${victim} dead on the watch` });
    await human.waitForLine((l) => l.includes(` dead ${victim} n2 dead `), { timeoutMs: 60_000, what: `${victim} dead (text)` });
    const members = JSON.parse(ok(await ctl(a!, ['members', '--json']), 'members after the kill')) as { id: string; state: string }[];
    assert.equal(members.find((m) => m.id === victim)?.state, 'dead');

    for (const s of [json, human]) {
      const r = await s.interrupt('SIGINT');
      assert.equal(r.code, 0, r.stderr);
    }

    // n2's socket file outlives its process: the connection is refused, which is "unreachable"
    for (const args of [['node'], ['members'], ['members', '--watch'], ['org', 'get'], ['workload', 'list']]) {
      const r = await ctl(c!, args);
      assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(c!.socket), r.stderr);
    }
  });

  it('exits 3 naming the socket when there is no maintainer', async () => {
    const socket = join(specDir, 'maintainer.sock');
    const notSocket = join(specDir, 'plain-file');
    await writeFile(notSocket, '');
    for (const args of [['node'], ['members', '--json'], ['org', 'get'], ['workload', 'get', 'web'], ['workload', 'delete', 'web']]) {
      const r = await fortctl(specDir, ['--socket', socket, ...args]);
      assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /cannot reach fortros-maintainer/);
      assert.ok(r.stderr.includes(socket));
    }
    const r = await fortctl(specDir, ['--socket', notSocket, 'node']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /is not a socket/);
    const byRoot = await fortctl(specDir, ['members']);
    assert.equal(byRoot.code, 3);
    assert.ok(byRoot.stderr.includes(join(specDir, 'run/fortros/maintainer.sock')), byRoot.stderr);
  });
});
