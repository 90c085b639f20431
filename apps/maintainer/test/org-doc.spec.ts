// The org document: typed round trip of every map, bounds, and change events that tell local from remote.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { WorkloadSpecError } from '@fortros/workload-spec';
import { OrgRecordError } from '../src/errors.js';
import { OrgDocument, type OrgEvents, peerOrigin } from '../src/org/org-doc.js';
import { memberRecord, processSpec, recordingLogger } from './org-helpers.js';

const member = memberRecord({ name: 'Node A', labels: { zone: 'a', 'fortros.io/role': 'edge' } });

const observed = {
  node: 'node-a',
  workload: 'web',
  phase: 'running',
  pid: 4242,
  restarts: 1,
  since: '2025-01-02T03:04:05Z',
  lastExit: { code: 1, signal: null },
  reason: null,
  conditions: [{ type: 'Ready', status: 'true' }],
};

describe('org: document', () => {
  it('round-trips workloads, members, observed and settings', async () => {
    const org = new OrgDocument({ log: recordingLogger() });
    assert.deepEqual(org.settings(), { orgId: '', overlayRange: '10.42.0.0/16' });
    const spec = await org.putWorkload(processSpec('web'));
    assert.equal(spec.restart, 'always');
    await org.putWorkload(processSpec('api', { restart: 'never' }));
    await org.putMember(member);
    await org.putObserved(observed);
    await org.updateSettings({ overlayRange: '10.99.0.0/16' });

    assert.deepEqual(org.getWorkload('web'), spec);
    assert.deepEqual(org.listWorkloads().map((w) => w.id), ['api', 'web']);
    assert.deepEqual(org.getMember(member.id), member);
    assert.deepEqual(org.getObserved('node-a', 'web'), observed);
    assert.deepEqual(org.listObserved({ node: 'node-b' }), []);
    assert.equal(org.settings().overlayRange, '10.99.0.0/16');

    // A second document fed the first's state sees the same JSON.
    const copy = new OrgDocument({ log: recordingLogger() });
    Y.applyUpdate(copy.doc, Y.encodeStateAsUpdate(org.doc), peerOrigin('node-a'));
    assert.deepEqual(copy.toJSON(), org.toJSON());
    assert.deepEqual(Object.keys(copy.toJSON().observed), ['node-a/web']);

    assert.equal(await org.deleteWorkload('web'), true);
    assert.equal(await org.deleteWorkload('web'), false);
    assert.equal(org.getWorkload('web'), undefined);
  });

  it('returns copies: mutating a result does not change the document', async () => {
    const org = new OrgDocument({ log: recordingLogger() });
    await org.putWorkload(processSpec('web'));
    const got = org.getWorkload('web')!;
    (got as { id: string }).id = 'changed';
    assert.equal(org.getWorkload('web')!.id, 'web');
  });

  it('rejects invalid records naming the field, and changes nothing', async () => {
    const org = new OrgDocument({ log: recordingLogger() });
    await assert.rejects(org.putWorkload({ ...processSpec('web'), restart: 'maybe' }), WorkloadSpecError);
    await assert.rejects(org.putMember({ ...member, overlayIp: '10.42.0.300' }), (e: unknown) => e instanceof OrgRecordError && e.message.startsWith('overlayIp:'));
    await assert.rejects(org.putObserved({ ...observed, phase: 'zombie' }), /^OrgRecordError: phase: expected one of pending, running, succeeded, failed/);
    await assert.rejects(org.updateSettings({ overlayRange: '10.42.0.0' }), /settings\.overlayRange: expected an IPv4 CIDR/);
    await assert.rejects(org.updateSettings({ colour: 'red' }), /settings\.colour: unknown field/);
    assert.deepEqual(org.toJSON(), { members: {}, workloads: {}, observed: {}, settings: { orgId: '', overlayRange: '10.42.0.0/16' } });
  });

  it('emits typed events marked local for API writes and remote (with the peer) for applied updates', async () => {
    const a = new OrgDocument({ log: recordingLogger() });
    const b = new OrgDocument({ log: recordingLogger() });
    const seenA: OrgEvents['workload:changed'][] = [];
    const seenB: OrgEvents['workload:changed'][] = [];
    const membersB: OrgEvents['member:changed'][] = [];
    const observedB: OrgEvents['observed:changed'][] = [];
    a.on('workload:changed', (e) => seenA.push(e));
    b.on('workload:changed', (e) => seenB.push(e));
    b.on('member:changed', (e) => membersB.push(e));
    b.on('observed:changed', (e) => observedB.push(e));
    a.doc.on('update', (u: Uint8Array) => Y.applyUpdate(b.doc, u, peerOrigin('node-a')));

    await a.putWorkload(processSpec('web'));
    await a.putWorkload(processSpec('web', { restart: 'never' }));
    await a.deleteWorkload('web');
    await a.putMember(member);
    await a.putObserved(observed);

    assert.deepEqual(
      seenA.map((e) => [e.id, e.action, e.local, e.peer]),
      [
        ['web', 'add', true, null],
        ['web', 'update', true, null],
        ['web', 'delete', true, null],
      ],
    );
    assert.deepEqual(
      seenB.map((e) => [e.id, e.action, e.local, e.peer]),
      [
        ['web', 'add', false, 'node-a'],
        ['web', 'update', false, 'node-a'],
        ['web', 'delete', false, 'node-a'],
      ],
    );
    assert.equal(seenB[1]!.spec!.restart, 'never');
    assert.equal(seenB[2]!.spec, undefined);
    assert.deepEqual(membersB.map((e) => [e.id, e.action, e.local, e.member?.name]), [[member.id, 'add', false, 'Node A']]);
    assert.deepEqual(observedB.map((e) => [e.key, e.status?.phase]), [['node-a/web', 'running']]);
  });

  it('keeps other listeners running when one throws, and unsubscribes', async () => {
    const log = recordingLogger();
    const org = new OrgDocument({ log });
    let calls = 0;
    org.on('workload:changed', () => {
      throw new Error('boom');
    });
    const off = org.on('workload:changed', () => calls++);
    await org.putWorkload(processSpec('a'));
    off();
    await org.putWorkload(processSpec('b'));
    assert.equal(calls, 1);
    assert.equal(log.records.filter((r) => r.level === 'error').length, 2);
  });

  it('resolves writes only after durability.flush() does', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const org = new OrgDocument({ log: recordingLogger(), durability: { flush: () => gate } });
    let done = false;
    const put = org.putWorkload(processSpec('web')).then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(done, false);
    assert.ok(org.getWorkload('web'), 'visible in memory before it is durable');
    release();
    await put;
    assert.equal(done, true);
  });
});
