// Renderers of the maintainer commands: the JSON mapping of DESIGN §6, the tables, the watch lines, workload args.
import assert from 'node:assert/strict';
import type { MaintainerV1 } from '@fortros/proto';
import { workloadArgs } from '../src/commands/maintainer.js';
import { UsageError } from '../src/errors.js';
import { memberEventToJson, memberStateName, memberToJson, nodeToJson } from '@fortros/views';
import { formatMemberEvent, formatPlacement, formatRuns, MEMBER_TABLE_HEADER, renderMembersTable, renderNode, renderWorkloadsTable } from '../src/render/maintainer-text.js';

function member(partial: Partial<MaintainerV1.Member__Output> & { id: string }): MaintainerV1.Member__Output {
  return { name: '', state: 'MEMBER_STATE_ALIVE', incarnation: 0, address: '', overlayIp: '', publicKey: '', labels: {}, ...partial };
}

describe('maintainer JSON mapping (render/maintainer-json)', () => {
  const states: [string | number, string][] = [
    ['MEMBER_STATE_ALIVE', 'alive'],
    ['MEMBER_STATE_SUSPECT', 'suspect'],
    ['MEMBER_STATE_DEAD', 'dead'],
    ['MEMBER_STATE_LEFT', 'left'],
    ['MEMBER_STATE_UNSPECIFIED', 'unknown'],
    [9, 'unknown'],
  ];
  for (const [wire, name] of states) {
    it(`maps ${wire} to ${name}`, () => assert.equal(memberStateName(wire), name));
  }

  it('gives a member exactly the DESIGN §6 fields, absent strings as null, labels sorted', () => {
    const j = memberToJson(member({ id: 'ab12', name: 'n0', incarnation: 3, address: '127.0.0.1:7946', publicKey: 'k=', labels: { zone: 'a', role: 'w' } }));
    assert.deepEqual(Object.keys(j), ['id', 'name', 'state', 'incarnation', 'address', 'overlayIp', 'publicKey', 'labels']);
    assert.deepEqual(j, { id: 'ab12', name: 'n0', state: 'alive', incarnation: 3, address: '127.0.0.1:7946', overlayIp: null, publicKey: 'k=', labels: { role: 'w', zone: 'a' } });
    assert.deepEqual(Object.keys(j.labels), ['role', 'zone']);
  });

  it('maps a node with every counter as a number, and a missing stats message as zeros', () => {
    const j = nodeToJson({ id: 'x', name: 'n', address: 'a:1', overlayIp: '10.42.0.1', publicKey: 'k', labels: {}, incarnation: 2, ready: true, orgId: '', liveMembers: 3, stats: null });
    assert.equal(j.orgId, null);
    assert.equal(j.stats.gossipPacketsIn, 0);
    assert.deepEqual(Object.keys(j), ['id', 'name', 'address', 'overlayIp', 'publicKey', 'labels', 'incarnation', 'ready', 'orgId', 'liveMembers', 'stats']);
  });

  it('maps watch events, synced without a member', () => {
    const at = new Date('2025-01-01T00:00:00.000Z');
    assert.deepEqual(memberEventToJson({ type: 'TYPE_SYNCED', member: null }, at), { type: 'synced', at: at.toISOString(), member: null });
    const dead = memberEventToJson({ type: 'TYPE_DEAD', member: member({ id: 'c', name: 'n2', state: 'MEMBER_STATE_DEAD', incarnation: 1, address: 'h:1' }) }, at);
    assert.equal(dead.type, 'dead');
    assert.equal(formatMemberEvent(dead), '2025-01-01T00:00:00.000Z dead c n2 dead inc=1 h:1');
    assert.equal(formatMemberEvent(memberEventToJson({ type: 'TYPE_SYNCED', member: null }, at)), '2025-01-01T00:00:00.000Z synced');
  });
});

describe('maintainer text (render/maintainer-text)', () => {
  it('renders the members table with dashes for what is unknown', () => {
    const lines = renderMembersTable([memberToJson(member({ id: 'a1', name: 'n0', labels: { zone: 'a' } })), memberToJson(member({ id: 'b2', state: 'MEMBER_STATE_SUSPECT', incarnation: 7 }))]);
    assert.deepEqual(lines[0]!.split(/\s+/), [...MEMBER_TABLE_HEADER]);
    assert.deepEqual(lines[1]!.split(/\s+/), ['a1', 'n0', 'alive', '0', '-', '-', 'zone=a']);
    assert.deepEqual(lines[2]!.split(/\s+/), ['b2', '-', 'suspect', '7', '-', '-', '-']);
  });

  it('renders the node block with aligned keys and the counters', () => {
    const lines = renderNode(nodeToJson({ id: 'x', name: 'n', address: 'a:1', overlayIp: '', publicKey: '', labels: { k: 'v' }, incarnation: 2, ready: false, orgId: 'o', liveMembers: 1, stats: null }));
    assert.ok(lines.some((l) => /^ready: +no$/.test(l)));
    assert.ok(lines.some((l) => /^gossip: +0 packets in, 0 out, 0 malformed, 0 implausible$/.test(l)));
    assert.ok(lines.some((l) => /^labels: +k=v$/.test(l)));
  });

  const placements: [unknown, string][] = [
    [{ nodes: ['a', 'b'] }, 'nodes: a,b'],
    [{ selector: { zone: 'a' }, replicas: 3 }, 'zone=a ×3'],
    [{ selector: {}, replicas: 1 }, 'any ×1'],
    [null, '-'],
  ];
  for (const [p, text] of placements) it(`shows placement ${JSON.stringify(p)} as ${text}`, () => assert.equal(formatPlacement(p), text));

  it('shows what each driver runs', () => {
    assert.equal(formatRuns({ driver: 'process', command: '/bin/sleep', args: ['1'] }), '/bin/sleep 1');
    assert.equal(formatRuns({ driver: 'oci', image: '/img', args: [] }), '/img');
    assert.equal(formatRuns({ driver: 'vm', kernel: '/vmlinuz' }), '/vmlinuz');
    const [header, row] = renderWorkloadsTable([{ id: 'web', driver: 'process', restart: 'always', placement: { nodes: ['n0'] }, command: '/bin/true', args: [] }]);
    assert.match(header!, /^ID +DRIVER +RESTART +PLACEMENT +RUNS$/);
    assert.match(row!, /^web +process +always +nodes: n0 +\/bin\/true$/);
  });
});

describe('workload subcommand arguments', () => {
  const ok: [string[], string, string][] = [
    [['put', 'f.json'], 'put', 'f.json'],
    [['list'], 'list', ''],
    [['get', 'web'], 'get', 'web'],
    [['delete', 'web'], 'delete', 'web'],
  ];
  for (const [argv, sub, arg] of ok) it(`accepts ${argv.join(' ')}`, () => assert.deepEqual(workloadArgs(argv), { sub, arg }));
  const bad: [string[], RegExp][] = [
    [['frob'], /unknown subcommand "frob"/],
    [['put'], /workload put: missing FILE/],
    [['get'], /workload get: missing ID/],
    [['list', 'x'], /unexpected argument "x"/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')} as a usage error`, () => assert.throws(() => workloadArgs(argv), (e: unknown) => e instanceof UsageError && message.test(e.message)));
  }
});
