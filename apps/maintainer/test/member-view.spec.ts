// The member view: SWIM state merged with the org document's member records (DESIGN §6 shape).
import assert from 'node:assert/strict';
import type { Member as SwimMember } from '@fortros/swim';
import { META_PUBLIC_KEY, META_ORG_SYNC, mergeMember, mergeMembers, orgSyncAddressOf } from '../src/membership/member-view.js';
import type { MemberRecord } from '../src/org/org-records.js';

const swim = (id: string, over: Partial<SwimMember> = {}): SwimMember => ({
  id,
  name: `swim-${id}`,
  address: `127.0.0.1:${id.length + 7000}`,
  incarnation: 3,
  state: 'alive',
  meta: { [META_ORG_SYNC]: '127.0.0.9:9000', [META_PUBLIC_KEY]: 'gossip-key' },
  since: 0,
  ...over,
});
const record = (id: string, over: Partial<MemberRecord> = {}): MemberRecord => ({
  id,
  name: `doc-${id}`,
  address: '10.0.0.1:7946',
  overlayIp: '10.42.1.2',
  publicKey: 'doc-key',
  labels: { zone: 'a' },
  joinedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('member view', () => {
  it('takes state, incarnation, address and name from SWIM, and overlay IP, key and labels from the document', () => {
    assert.deepEqual(mergeMember('a', swim('a', { state: 'suspect' }), record('a')), {
      id: 'a',
      name: 'swim-a',
      state: 'suspect',
      incarnation: 3,
      address: '127.0.0.1:7001',
      overlayIp: '10.42.1.2',
      publicKey: 'doc-key',
      labels: { zone: 'a' },
    });
  });

  it('shows a member known only to SWIM with its gossiped key and no labels', () => {
    const v = mergeMember('b', swim('b'), undefined)!;
    assert.equal(v.publicKey, 'gossip-key');
    assert.equal(v.overlayIp, '');
    assert.deepEqual(v.labels, {});
  });

  it('shows a member known only to the document as dead at incarnation 0', () => {
    const v = mergeMember('c', undefined, record('c'))!;
    assert.equal(v.state, 'dead');
    assert.equal(v.incarnation, 0);
    assert.equal(v.address, '10.0.0.1:7946');
    assert.equal(v.name, 'doc-c');
  });

  it('knows nothing of a member neither side knows', () => {
    assert.equal(mergeMember('x', undefined, undefined), undefined);
  });

  it('merges both lists into one, sorted by id, bounded', () => {
    const merged = mergeMembers([swim('d'), swim('b')], [record('c'), record('b')], 10);
    assert.deepEqual(merged.map((m) => [m.id, m.state]), [['b', 'alive'], ['c', 'dead'], ['d', 'alive']]);
    assert.equal(mergeMembers([swim('d'), swim('b')], [record('c')], 2).length, 2);
  });

  it('never shares label objects with the document record', () => {
    const r = record('e');
    mergeMember('e', undefined, r)!.labels.zone = 'changed';
    assert.equal(r.labels.zone, 'a');
  });

  it('uses the advertised sync address, else the gossip address', () => {
    assert.equal(orgSyncAddressOf(swim('f')), '127.0.0.9:9000');
    assert.equal(orgSyncAddressOf(swim('f', { meta: {} })), '127.0.0.1:7001');
  });
});
