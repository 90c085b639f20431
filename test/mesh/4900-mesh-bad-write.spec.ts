// A compromised member's bad write on the mesh (issue 8): one node's org store gets raw junk (workload specs that
// fail their check, a junk overlay range, another org id, an altered member record of another node, a fake member)
// written past every API check, then that node syncs it to the others. On every other node nothing acts on the
// junk: no workload runs for it, overlay addresses and WireGuard peers stay as they were, the altered member
// restores its own record, and `fortctl node --json` counts each invalid entry while the logs name it; restarted, an
// honest node keeps its org id. A valid spec written the same raw way does run, so the path itself works.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { WireguardInterface } from '@fortros/wireguard';
import { fortctl } from '../harness/ctl.js';
import { meshClusterSuite, type MeshCluster, type MeshClusterNode, type NodeJson } from '../harness/mesh-cluster.js';
import { shProcesses, workloads } from '../harness/reconciler.js';
import { waitUntil } from '../harness/wait.js';

const NODES = 3;
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
/** The maintainer's own tool: raw entries into a stopped node's store, through the real OrgStore (format, fsync). */
const BAD_WRITE = fileURLToPath(new URL('../../apps/maintainer/test/fixtures/org-bad-write.ts', import.meta.url));
const MARKER = `mtjunk${process.pid}`;
const GOOD_MARKER = `mtgood${process.pid}`;
/** Each junk spec, if it ever ran, would be a `/bin/sh -c` carrying MARKER. */
const sh = (tag: string): { command: string; args: string[] } => ({ command: '/bin/sh', args: ['-c', `sleep 1000 # ${MARKER} ${tag}`] });

function junkWorkloads(nodeName: string): Record<string, unknown> {
  return {
    'junk-driver': { id: 'junk-driver', driver: 'shell', ...sh('driver'), placement: { nodes: [nodeName] } },
    'junk-command': { id: 'junk-command', driver: 'process', command: ['/bin/sh', '-c', `sleep 1000 # ${MARKER}`], placement: { nodes: [nodeName] } },
    'junk-placement': { id: 'junk-placement', driver: 'process', ...sh('placement'), placement: { selector: {}, replicas: 1e9 } },
    'junk-id': { id: 'another-id', driver: 'process', ...sh('id'), placement: { nodes: [nodeName] } },
  };
}
const JUNK_IDS = ['junk-driver', 'junk-command', 'junk-placement', 'junk-id'];
/** A fake member whose public key is not a WireGuard key. */
const FAKE_MEMBER = { id: 'f00dfeedf00dfeed', name: 'fake', address: '192.0.2.7:51820', overlayIp: '10.42.99.99', publicKey: 'not-a-key', labels: {}, joinedAt: '2026-01-01T00:00:00.000Z' };

type PeerView = { publicKey: string; endpoint: string | undefined; allowedIps: string[] }[];

async function peerView(node: MeshClusterNode): Promise<PeerView> {
  const s = await WireguardInterface.attach(node.interfaceName, { netns: node.lab.netns }).show();
  return s.peers.map((p) => ({ publicKey: p.publicKey, endpoint: p.endpoint, allowedIps: [...p.allowedIps].sort() })).sort((a, b) => a.publicKey.localeCompare(b.publicKey));
}

async function ctlOk(node: MeshClusterNode, args: string[]): Promise<string> {
  const r = await fortctl(node.init.root, args);
  assert.equal(r.code, 0, `fortctl ${args.join(' ')} on ${node.name}: ${r.stderr}`);
  return r.stdout;
}

describe('4900 a member\'s bad write on the mesh: nothing acts on it, and it is reported', function () {
  this.timeout(600_000);
  const slot = meshClusterSuite('mt');

  it('junk workloads are not run, overlay and peers stay, the altered member restores its record, stats and logs name each entry', async () => {
    const cluster: MeshCluster = await slot.start();
    const nodes = await cluster.boot(NODES);
    await cluster.waitConverged(NODES);
    const [first, victim, bad] = nodes as [MeshClusterNode, MeshClusterNode, MeshClusterNode];
    const honest = [first, victim];
    const infoBefore = new Map<MeshClusterNode, NodeJson>();
    for (const n of nodes) infoBefore.set(n, await cluster.info(n));
    const orgBefore = await cluster.org(first);
    const peersBefore = new Map<MeshClusterNode, PeerView>();
    for (const n of honest) peersBefore.set(n, await peerView(n));
    const victimId = infoBefore.get(victim)!.id;
    const victimRecord = orgBefore.members[victimId];
    assert.ok(victimRecord, 'the victim has a member record');

    // the compromised member: its maintainer stopped, junk appended to its store as a raw yjs update, started again
    await ctlOk(bad, ['stop', 'maintainer', '--wait', '--timeout', '60000']);
    const plan = {
      workloads: {
        ...junkWorkloads(victim.name),
        'raw-ok': { id: 'raw-ok', driver: 'process', command: '/bin/sh', args: ['-c', `sleep 1000 # ${GOOD_MARKER}`], placement: { nodes: [first.name] } },
      },
      settings: { overlayRange: 'junk', orgId: 'evil0rg' },
      members: { [FAKE_MEMBER.id]: FAKE_MEMBER },
      memberPatches: { [victimId]: { address: '192.0.2.9:51820', overlayIp: '10.42.250.250', labels: { owned: 'yes' } } },
    };
    const w = await execa(process.execPath, [TSX, BAD_WRITE, join(bad.init.root, 'persist/maintainer'), JSON.stringify(plan)], { reject: false, timeout: 60_000 });
    assert.equal(w.exitCode, 0, `org-bad-write: ${String(w.stderr)}`);
    assert.match(String(w.stdout), /written/);
    await ctlOk(bad, ['start', 'default', '--wait', '--timeout', '120000']);

    // every honest node counts each invalid entry (synced to it from the bad node)
    const expected = { orgBadWorkloads: JUNK_IDS.length, orgBadMembers: 1, orgBadSettings: 1, orgIdChangeAttempts: 1 };
    let lastStats = '';
    await waitUntil(async () => {
      const stats = await Promise.all(honest.map(async (n) => (await cluster.info(n)).stats));
      lastStats = JSON.stringify(stats);
      return stats.every((s) => Object.entries(expected).every(([k, v]) => s[k]! >= v));
    }, { what: 'the invalid entries counted on every honest node', timeoutMs: 120_000 }).catch((e: Error) => {
      throw new Error(`${e.message}; last stats: ${lastStats}`);
    });

    // the victim restored its own record, everywhere
    await waitUntil(async () => {
      for (const n of nodes) if (JSON.stringify((await cluster.org(n)).members[victimId]) !== JSON.stringify(victimRecord)) return false;
      return true;
    }, { what: 'the victim\'s own member record restored on every node', timeoutMs: 120_000 });
    assert.ok(((await cluster.info(victim)).stats['selfRecordRestores'] ?? 0) >= 1, 'the victim counts its restore');

    // the valid raw spec runs (the path works); none of the junk does, anywhere
    await waitUntil(async () => shProcesses(GOOD_MARKER).length === 1 && ((await workloads(first.init.root, true)) ?? []).some((x) => x.workload === 'raw-ok' && x.phase === 'running'), {
      what: 'raw-ok running on the first node, and listed by workloads --all',
      timeoutMs: 120_000,
    });
    for (const n of honest) {
      const info = await cluster.info(n);
      const before = infoBefore.get(n)!;
      assert.deepEqual([info.overlayIp, info.orgId, info.liveMembers], [before.overlayIp, before.orgId, NODES], `${n.name}: overlay address, org id and members unchanged`);
      const org = await cluster.org(n);
      assert.deepEqual(Object.keys(org.workloads).sort(), ['raw-ok'], `${n.name}: only the valid spec is desired`);
      assert.deepEqual(org.settings, orgBefore.settings, `${n.name}: settings unchanged`);
      assert.deepEqual(Object.keys(org.members).sort(), Object.keys(orgBefore.members).sort(), `${n.name}: no fake member`);
      const seen = ((await workloads(n.init.root, true)) ?? []).map((x) => x.workload);
      assert.ok(seen.every((id) => !JUNK_IDS.includes(id) && id !== 'another-id'), `${n.name}: workloads --all lists no junk: ${JSON.stringify(seen)}`);
    }
    assert.deepEqual(shProcesses(MARKER), [], 'no junk workload runs on any node');

    // WireGuard peers as they were (the altered endpoint and overlay address of the victim were never kept)
    for (const n of honest) {
      let last: PeerView = [];
      await waitUntil(async () => {
        last = await peerView(n);
        return JSON.stringify(last) === JSON.stringify(peersBefore.get(n));
      }, { what: `${n.name}: wg show lists the same peers as before`, timeoutMs: 60_000 }).catch((e: Error) => {
        throw new Error(`${e.message}; now ${JSON.stringify(last)}, before ${JSON.stringify(peersBefore.get(n))}`);
      });
    }

    // the logs name each invalid entry
    for (const n of honest) {
      const logs = await cluster.logs(n);
      for (const id of [...JUNK_IDS, FAKE_MEMBER.id, 'overlayRange']) assert.match(logs, new RegExp(`invalid (workload|member|setting) refused[^\\n]*"entry":"${id}"`), `${n.name} logs ${id}`);
      assert.match(logs, /refused a change of the org id/, `${n.name} logs the org id change`);
    }
    assert.match(await cluster.logs(victim), /member record was removed or altered by a peer; restoring it/);

    // an honest node restarting over the junk it now holds keeps the org id and overlay address it joined with
    await ctlOk(first, ['restart', 'maintainer', '--wait', '--timeout', '120000']);
    const again = await cluster.info(first);
    const was = infoBefore.get(first)!;
    assert.deepEqual([again.id, again.overlayIp, again.orgId], [was.id, was.overlayIp, was.orgId], 'restarted: the same member, overlay address and org id');
    assert.ok((again.stats['orgIdChangeAttempts'] ?? 0) >= 1 && (again.stats['orgBadSettings'] ?? 0) >= 1, `restarted: the junk settings counted again: ${JSON.stringify(again.stats)}`);
    assert.deepEqual((await cluster.org(first)).settings, orgBefore.settings, 'restarted: settings unchanged');
    await cluster.waitConverged(NODES);
  });
});
