// An outsider on the mesh's underlay (issue 8, DESIGN §11): a namespace on the same bridge, without a token, cannot
// join, cannot read or write the org document through OrgSync on any address and port a node has (overlay ones
// routed to it through the node's underlay address), and its forged SWIM packets (a member dead or left at the
// highest incarnation, a fake member alive) change nothing; the nodes' drop counters show its traffic.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fortctl } from '../harness/ctl.js';
import { meshClusterSuite, OVERLAY_PORT, UNDERLAY_PORT } from '../harness/mesh-cluster.js';
import { waitUntil } from '../harness/wait.js';

const OUTSIDER = fileURLToPath(new URL('./fixtures/outsider.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const NODES = 3;
/** gRPC status codes the outsider's streams may end with: PERMISSION_DENIED (refused as no member), UNIMPLEMENTED
 * (the admission server has no OrgSync), UNAVAILABLE (nothing listens, or WireGuard's UDP port), DEADLINE_EXCEEDED. */
const REFUSED = new Set(['7', '12', '14', '4']);

describe('4600 an outsider on the underlay', function () {
  this.timeout(600_000);
  const slot = meshClusterSuite();

  it('cannot join, cannot reach OrgSync or SWIM, and its forged packets and streams change nothing', async () => {
    const cluster = await slot.start();
    const nodes = await cluster.boot(NODES);
    await cluster.waitConverged(NODES);
    const infos = await Promise.all(nodes.map((n) => cluster.info(n)));
    const before = await Promise.all(nodes.map(async (n) => JSON.stringify(await cluster.org(n))));

    // no token: a made-up one naming the real issuer is refused, and the outsider stays out
    const forged = `fortros-token-v1/${infos[0]!.orgId}/${nodes[0]!.underlay}/${randomBytes(8).toString('hex')}/${randomBytes(32).toString('base64url')}`;
    const join = await cluster.tryJoin(forged);
    assert.notEqual(join.code, 0);
    assert.match(join.stderr, /unknown token/i);
    const outsider = join.node;

    // route every node's overlay address through that node's underlay address, then attack every address and port
    for (const [k, n] of nodes.entries()) await cluster.lab.exec(outsider, 'ip', ['route', 'add', `${infos[k]!.overlayIp}/32`, 'via', n.lab.address]);
    const plan = {
      targets: nodes.flatMap((n, k) => [n.lab.address, infos[k]!.overlayIp]),
      ports: [OVERLAY_PORT, UNDERLAY_PORT],
      victims: infos.map((i) => i.id),
      rounds: 5,
    };
    const out = await cluster.lab.exec(outsider, process.execPath, [TSX, OUTSIDER, JSON.stringify(plan)], { timeoutMs: 60_000 });
    const streams = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { address: string; received: number; error: string });
    assert.equal(streams.length, plan.targets.length * plan.ports.length);
    for (const s of streams) {
      assert.equal(s.received, 0, `${s.address} answered the outsider's OrgSync stream`);
      assert.ok(REFUSED.has(s.error), `${s.address}: expected the stream refused, got ${JSON.stringify(s.error)}`);
    }

    // the drop counters show it: every node refused OrgSync streams and dropped SWIM packets on its overlay address
    await waitUntil(async () => {
      const now = await Promise.all(nodes.map((n) => cluster.info(n)));
      return now.every((i) => i.stats.gossipNotMember > 0 && i.stats.syncNotMember > 0) && now;
    }, { what: "every node counting the outsider's packets and streams", timeoutMs: 30_000 });

    // spoofing a member's overlay source address from the underlay: node1's overlay address on the outsider's own
    // link, forged SWIM packets from it to the others' overlay addresses. Strict reverse-path filtering drops them
    // (that source is only valid through WireGuard), so the gate never sees a "member" packet from outside.
    const spoofed = infos[0]!.overlayIp;
    await cluster.lab.exec(outsider, 'ip', ['address', 'add', `${spoofed}/32`, 'dev', 'eth0']);
    const spoof = { targets: infos.slice(1).map((i) => i.overlayIp), ports: [OVERLAY_PORT], victims: infos.map((i) => i.id), rounds: 20, source: spoofed, udpOnly: true };
    await cluster.lab.exec(outsider, process.execPath, [TSX, OUTSIDER, JSON.stringify(spoof)], { timeoutMs: 60_000 });

    // nothing changed: every member alive on every node (looked at several times, each look a round of fortctl
    // calls), no fake member, the document as before
    for (let look = 0; look < 5; look++) {
      for (const n of nodes) {
        const r = await fortctl(n.init.root, ['members', '--json']);
        const members = JSON.parse(r.stdout) as { id: string; state: string }[];
        assert.deepEqual(members.map((m) => m.id).sort(), infos.map((i) => i.id).sort(), `${n.name} knows exactly the members`);
        assert.ok(members.every((m) => m.state === 'alive'), `${n.name}: every member alive: ${JSON.stringify(members)}`);
      }
    }
    for (const [k, n] of nodes.entries()) assert.equal(JSON.stringify(await cluster.org(n)), before[k], `${n.name}'s org document changed`);
  });
});
