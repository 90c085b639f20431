// The end-to-end scenario of issue 12 on one 5-node WireGuard cluster: a process workload put through `fortctl
// workload put -` with selector + 3 replicas runs on exactly 3 matching nodes; kill -9 of a node running it moves that
// replica only; a 60 s partition of 2 of the 4 live nodes with writes on both sides loses nothing once healed; and
// fortros-console (a service of node 1's tree), read in headless Chromium, shows what `fortctl workloads --all` shows.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { access, constants } from 'node:fs/promises';
import { execa } from 'execa';
import { Browser, CHROMIUM } from '../harness/cdp.js';
import { FORTCTL_MAIN, FORTCTL_TIMEOUT_MS } from '../harness/ctl.js';
import { meshClusterSuite, type MeshCluster, type MeshClusterNode } from '../harness/mesh-cluster.js';
import { waitPlaced, type Replicated } from '../harness/placement.js';
import { colourCounts, decodePng } from '../harness/png.js';
import { isAlive } from '../harness/proc.js';
import { workloads } from '../harness/reconciler.js';
import type { TreeSpec } from '../harness/tree.js';
import { waitUntil } from '../harness/wait.js';

const NODES = 5;
/** Node index 4 is labelled role=db, the others role=web: the selector matches 4 of the 5. */
const DB_NODE = 4;
/** The node whose tree also runs fortros-console (never the one killed). */
const CONSOLE_NODE = 0;
const WEB: Replicated = { id: 'e2e-web', marker: `eeweb${process.pid}`, replicas: 3 };
const PARTITION_MS = 60_000;
/** One write on each side of the partition every this many ms. */
const WRITE_EVERY_MS = 5_000;
/** Partition writes are placed on a node name no member has, so they are stored everywhere but run nowhere. */
const NOWHERE = 'ee-nowhere';
/** Membership changes (a death, a partition, a heal) take a while on 2 cores shared with other suites. */
const MEMBERSHIP_WAIT_MS = 120_000;
const CONSOLE_MAIN = fileURLToPath(new URL('../../apps/console/dist/main.js', import.meta.url));
/** fortros-console's port on the loopback of its node's namespace (the host cannot reach it: Chromium runs there). */
const CONSOLE_PORT = 8480;
const CONSOLE_READY_MS = 90_000;
const PAGE_WAIT_MS = 90_000;
const WINDOW = { width: 1200, height: 800 };

function consoleService(): TreeSpec {
  return {
    console: {
      type: 'longrun',
      notificationFd: 3,
      dependencies: ['maintainer'],
      run: `exec "${process.execPath}" "${CONSOLE_MAIN}" --root "$FORTROS_ROOT" --listen 127.0.0.1:${CONSOLE_PORT} --notify-fd 3 --log-format json`,
    },
  };
}

/** `fortctl workload put -` with the spec on stdin; throws with fortctl's output when it fails. */
async function putFromStdin(node: MeshClusterNode, spec: Record<string, unknown>): Promise<void> {
  const r = await execa(process.execPath, [FORTCTL_MAIN, '--root', node.init.root, 'workload', 'put', '-'], {
    input: JSON.stringify(spec),
    env: { FORTROS_ROOT: undefined },
    reject: false,
    timeout: FORTCTL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.exitCode !== 0) throw new Error(`fortctl workload put - on ${node.name}: exit ${r.exitCode}: ${String(r.stderr)}`);
}

/** Each replica's pid is a process of its own node's network namespace (`ip netns pids`). */
async function assertInNamespaces(nodes: readonly MeshClusterNode[], ids: ReadonlyMap<MeshClusterNode, string>, running: ReadonlyMap<string, number>): Promise<void> {
  for (const n of nodes) {
    const pid = running.get(ids.get(n)!);
    if (pid === undefined) continue;
    const pids = String((await execa('ip', ['netns', 'pids', n.lab.netns])).stdout).split('\n');
    assert.ok(pids.includes(String(pid)), `replica pid ${pid} runs in ${n.name}'s namespace ${n.lab.netns}`);
  }
}

/** Until every node of `nodes` sees exactly `live` live members. */
async function waitLive(cluster: MeshCluster, nodes: readonly MeshClusterNode[], live: number, what: string): Promise<void> {
  await waitUntil(async () => (await Promise.all(nodes.map((n) => cluster.info(n)))).every((i) => i.ready && i.liveMembers === live), {
    what,
    timeoutMs: MEMBERSHIP_WAIT_MS,
  });
}

/** 2 sides cut off from each other for PARTITION_MS, a write on each side every WRITE_EVERY_MS; returns the ids written. */
async function partitionWithWrites(cluster: MeshCluster, sides: readonly (readonly MeshClusterNode[])[]): Promise<string[]> {
  await cluster.lab.partition(sides.map((s) => s.map((n) => n.lab)));
  const end = Date.now() + PARTITION_MS;
  await waitUntil(async () => (await Promise.all(sides.map(async (s) => (await cluster.info(s[0]!)).liveMembers === s.length))).every(Boolean), {
    what: 'each side of the partition to see only itself',
    timeoutMs: PARTITION_MS,
  });
  const written: string[] = [];
  for (let round = 0; Date.now() < end; round++) {
    for (const [i, side] of sides.entries()) {
      const id = `ee-side${i}-${round}`;
      await cluster.putWorkload(side[round % side.length]!, id, { id, driver: 'process', command: '/bin/true', placement: { nodes: [NOWHERE] } });
      written.push(id);
    }
    const next = Math.min(end, Date.now() + WRITE_EVERY_MS);
    await waitUntil(() => Date.now() >= next, { what: 'the next write round of the partition', timeoutMs: WRITE_EVERY_MS + 5_000 });
  }
  const side1Has = new Set(await cluster.workloadIds(sides[1]![0]!));
  assert.ok(!written.some((id) => id.startsWith('ee-side0-') && side1Has.has(id)), 'a write crossed the partition');
  return written;
}

/** A row as both the console and fortctl show it: workload, node, phase, pid ('-' for none). */
type Row = [string, string, string, string];
const sortRows = (rows: Row[]): Row[] => rows.map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r) as Row);

/** `fortctl workloads --all --json` on `node` as rows. */
async function ctlRows(node: MeshClusterNode): Promise<Row[]> {
  const all = (await workloads(node.init.root, true)) ?? [];
  return sortRows(all.map((w) => [w.workload, w.node, w.phase, w.pid === null ? '-' : String(w.pid)]));
}

/** The console's workloads table as rows, only those observed on some node (a spec run nowhere has node '-'). */
async function pageRows(browser: Browser): Promise<Row[]> {
  const rows = await browser.evaluate<string[][]>(
    `[...document.querySelectorAll('#workloads tr[data-workload]')].map((tr) => [...tr.cells].slice(0, 4).map((td) => td.innerText.trim()))`,
  );
  return sortRows(rows.filter((r) => r[1] !== '-') as Row[]);
}

describe('6200 end to end on a 5-node lab: replicas, a node killed, a partition, the console', function () {
  this.timeout(900_000);
  let browser: Browser | undefined;
  // registered before the cluster's hooks, so Chromium (inside a node namespace) goes first
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  const slot = meshClusterSuite('ee');

  it('places 3 replicas, moves only a killed node\'s replica, loses no write across a 60 s partition, and the console agrees with fortctl', async function () {
    if (!(await access(CHROMIUM, constants.X_OK).then(() => true, () => false))) {
      this.test!.title += ` [skipped: ${CHROMIUM} not found; install Debian's "chromium" package (scripts/setup.sh does)]`;
      this.skip();
    }
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES, {
      labels: (i) => ({ role: i === DB_NODE ? 'db' : 'web' }),
      waitFor: 'reconciler',
      extra: (i) => (i === CONSOLE_NODE ? consoleService() : {}),
    });
    await cluster.waitConverged(NODES, { timeoutMs: MEMBERSHIP_WAIT_MS });
    const ids = new Map(await Promise.all(nodes.map(async (n) => [n, (await cluster.info(n)).id] as const)));

    // 1. the workload put on one node (not the console's) through stdin runs on 3 of the 4 matching nodes
    await putFromStdin(nodes[1]!, {
      id: WEB.id,
      driver: 'process',
      command: '/bin/sh',
      args: ['-c', `echo ${WEB.marker}; while :; do sleep 100000; done`],
      restart: 'always',
      placement: { selector: { role: 'web' }, replicas: WEB.replicas },
    });
    const placed = await waitPlaced(nodes, ids, WEB, `${WEB.replicas} replicas placed`);
    assert.ok(!placed.has(ids.get(nodes[DB_NODE]!)!), 'the db node does not match the selector');
    await assertInNamespaces(nodes, ids, placed);

    // 2. kill -9 of a node running a replica: once the others see it dead, only its replica moves
    const victim = nodes.find((n, i) => i !== CONSOLE_NODE && placed.has(ids.get(n)!))!;
    const victimId = ids.get(victim)!;
    await cluster.killNode(victim);
    assert.ok(!isAlive(placed.get(victimId)!), "the victim's replica died with its node");
    const live = nodes.filter((n) => n !== victim);
    await waitLive(cluster, live, NODES - 1, `${victim.name} declared dead everywhere`);
    const moved = await waitPlaced(live, ids, WEB, `${WEB.replicas} replicas on live nodes after ${victim.name} died`);
    const newcomers = [...moved.keys()].filter((id) => !placed.has(id));
    assert.equal(newcomers.length, 1, `exactly one replica moved (${JSON.stringify(newcomers)})`);
    assert.ok(!moved.has(victimId) && !moved.has(ids.get(nodes[DB_NODE]!)!));
    for (const [id, pid] of placed) if (id !== victimId) assert.equal(moved.get(id), pid, `the replica on ${id} kept running untouched`);
    await assertInNamespaces(live, ids, moved);

    // 3. 2 of the 4 live nodes cut off for 60 s, writes on both sides; healed, every write is on every live node
    const written = await partitionWithWrites(cluster, [live.slice(0, 2), live.slice(2)]);
    await cluster.lab.heal();
    await waitLive(cluster, live, NODES - 1, 'every live node to see the other 3 again after healing');
    await waitUntil(async () => {
      for (const n of live) {
        const have = new Set(await cluster.workloadIds(n));
        if (!written.every((id) => have.has(id)) || !have.has(WEB.id)) return false;
      }
      return true;
    }, { what: `all ${written.length} partition writes on every live node`, timeoutMs: MEMBERSHIP_WAIT_MS });
    const healed = await waitPlaced(live, ids, WEB, `${WEB.replicas} replicas after healing`);
    assert.deepEqual([...healed].sort(), [...moved].sort(), 'the partition moved or restarted no replica (every matching live node kept one)');

    // 4. the console on node 1 shows the rows `fortctl workloads --all` shows, with the replicas where they run
    const viewer = nodes[CONSOLE_NODE]!;
    await viewer.init.waitForState('console', 'ready', { timeoutMs: CONSOLE_READY_MS });
    browser = await Browser.launch(WINDOW, { wrap: ['ip', 'netns', 'exec', viewer.lab.netns] });
    await browser.goto(`http://127.0.0.1:${CONSOLE_PORT}/workloads`);
    let last = '';
    const rows = await waitUntil(async () => {
      const [page, ctl] = [await pageRows(browser!), await ctlRows(viewer)];
      last = JSON.stringify({ page, ctl });
      return page.length > 0 && JSON.stringify(page) === JSON.stringify(ctl) ? page : undefined;
    }, { timeoutMs: PAGE_WAIT_MS, intervalMs: 1_000, what: 'the console and fortctl workloads --all to agree' }).catch((e: Error) => {
      throw new Error(`${e.message}; last seen: ${last}`);
    });
    const liveIds = new Set(live.map((n) => ids.get(n)!));
    const shown = rows.filter(([w, node, phase]) => w === WEB.id && phase === 'running' && liveIds.has(node)).map(([, node, , pid]) => [node, Number(pid)] as const);
    assert.deepEqual(shown.sort(), [...healed].sort(), 'the console shows the replicas where they run, with their pids');

    const png = decodePng(await browser.screenshot());
    assert.deepEqual([png.width, png.height], [WINDOW.width, WINDOW.height]);
    const counts = [...colourCounts(png).values()].sort((a, b) => b - a);
    assert.ok(counts.length >= 3, `at least 3 colours on the page, got ${counts.length}`);
    assert.ok((png.width * png.height - counts[0]!) / (png.width * png.height) >= 0.02, 'at least 2% of the page differs from its background');
  });
});
