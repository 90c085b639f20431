// A peer's bad writes to the org document: never acted on, counted and logged; the node restores its own record; settings keep their last valid value.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { ORG_BAD_CONTENT_LOG_MAX } from '../src/constants.js';
import { OrgIdFixedError, OrgRecordError } from '../src/errors.js';
import { overlayIpOf } from '../src/node/identity.js';
import { ORG_MAPS, OrgDocument, peerOrigin } from '../src/org/org-doc.js';
import { OrgStore } from '../src/org/org-store.js';
import { SelfRecordKeeper } from '../src/org/self-record.js';
import { memberRecord, processSpec, recordingLogger, until, withTempDir, type RecordingLogger } from './org-helpers.js';

interface Node {
  org: OrgDocument;
  store: OrgStore;
  keeper: SelfRecordKeeper;
  log: RecordingLogger;
}

const self = memberRecord({ name: 'self', labels: { zone: 'a' } });

async function openNode(dir: string): Promise<Node> {
  const log = recordingLogger();
  const doc = new Y.Doc();
  const store = new OrgStore({ dir, doc, log });
  await store.open();
  const org = new OrgDocument({ doc, log, durability: store });
  const keeper = new SelfRecordKeeper({ org, record: self, log });
  await keeper.start();
  return { org, store, keeper, log };
}

/** A peer that writes whatever it likes (raw yjs, no checks), then syncs its update to `node` as OrgSync would. */
function peerWrites(node: Node, write: (maps: { members: Y.Map<unknown>; workloads: Y.Map<unknown>; settings: Y.Map<unknown> }) => void): void {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(node.org.doc));
  const sv = Y.encodeStateVector(peer);
  peer.transact(() => write({ members: peer.getMap(ORG_MAPS.members), workloads: peer.getMap(ORG_MAPS.workloads), settings: peer.getMap(ORG_MAPS.settings) }));
  Y.applyUpdate(node.org.doc, Y.encodeStateAsUpdate(peer, sv), peerOrigin('peer-x'));
}

const warned = (log: RecordingLogger, entry: string, field: string): boolean => log.records.some((r) => r.level === 'warn' && r.fields.entry === entry && r.fields.field === field);

describe('org: a trusted document', () => {
  it('a peer\'s junk workload, forged members, changed org id and junk overlay range are refused, counted, logged; the node restores its record', () =>
    withTempDir(async (dir) => {
      const a = await openNode(dir);
      await a.org.updateSettings({ orgId: 'org-1' });
      await a.org.putWorkload(processSpec('web'));
      const fake = memberRecord();
      peerWrites(a, ({ members, workloads, settings }) => {
        workloads.set('junk', { id: 'junk', driver: 'process', command: 42, placement: { replicas: 3 } });
        workloads.set('alias', processSpec('web'));
        members.set(self.id, { ...self, publicKey: fake.publicKey, address: '203.0.113.9:1' });
        members.set('fake', { ...fake, id: 'fake' });
        members.set(fake.id, { ...fake, publicKey: self.publicKey });
        settings.set('orgId', 'evil-org');
        settings.set('overlayRange', 'junk');
      });
      assert.deepEqual(a.org.listWorkloads().map((w) => w.id), ['web'], 'only the valid workload is handed out');
      assert.equal(a.org.getWorkload('junk'), undefined);
      assert.deepEqual(a.org.settings(), { orgId: 'org-1', overlayRange: '10.42.0.0/16' });
      assert.notEqual(overlayIpOf(self.publicKey, a.org.settings().overlayRange), '0.0.0.0');
      await until(() => a.keeper.intact && a.keeper.restores === 1, 'the node to restore its own record');
      assert.deepEqual(a.org.listMembers(), [self], 'forged members are not handed out, the own record is back');
      assert.deepEqual(a.org.contentCounters(), { badWorkloads: 2, badMembers: 3, badSettings: 1, orgIdChangeAttempts: 1 });
      assert.ok(warned(a.log, 'junk', 'command'), 'the junk workload is logged naming entry and field');
      assert.ok(warned(a.log, 'alias', 'id'));
      assert.ok(warned(a.log, 'fake', 'publicKey'));
      assert.ok(warned(a.log, fake.id, 'publicKey'), 'a record claiming another node\'s key is refused');
      assert.ok(warned(a.log, 'overlayRange', 'settings.overlayRange'));
      assert.ok(warned(a.log, 'orgId', 'settings.orgId'));
      assert.equal(a.keeper.restores, 1);
      // Reading again counts nothing new.
      a.org.listWorkloads();
      a.org.listMembers();
      assert.equal(a.org.contentCounters().badWorkloads, 2);
      // A local write cannot change the org id either.
      await assert.rejects(a.org.updateSettings({ orgId: 'other' }), OrgIdFixedError);

      // An address/label change with the right key is valid content, but not this node's truth: restored too.
      peerWrites(a, ({ members }) => members.set(self.id, { ...self, address: '203.0.113.9:1', labels: { zone: 'evil' } }));
      await until(() => a.keeper.intact && a.keeper.restores === 2, 'a second restore');

      // Deleting every member and workload: the own record comes back.
      peerWrites(a, ({ members, workloads }) => {
        members.clear();
        workloads.clear();
      });
      await until(() => a.keeper.intact && a.keeper.restores === 3, 'the record restored after a wipe');
      assert.deepEqual(a.org.listWorkloads(), []);

      // The restore is durable: a reopened store holds it.
      a.keeper.stop();
      await a.store.close();
      const b = await openNode(dir);
      assert.deepEqual(b.org.getMember(self.id), self);
      assert.equal(b.keeper.restores, 0);
      b.keeper.stop();
      await b.store.close();
    }));

  it('many distinct bad entries: each counted once, logging rate-limited', () => {
    const log = recordingLogger();
    const org = new OrgDocument({ log });
    const bad = 5 * ORG_BAD_CONTENT_LOG_MAX;
    Y.transact(org.doc, () => {
      for (let i = 0; i < bad; i++) org.doc.getMap(ORG_MAPS.workloads).set(`w${i}`, { id: `w${i}`, driver: 'nope' });
    }, peerOrigin('peer-x'));
    assert.equal(org.contentCounters().badWorkloads, bad);
    assert.equal(org.listWorkloads().length, 0);
    const lines = log.records.filter((r) => r.level === 'warn' && r.msg.includes('invalid workload')).length;
    assert.equal(lines, ORG_BAD_CONTENT_LOG_MAX);
  });

  it('a restart over a document holding a peer\'s changed org id and junk range keeps the settings the node knows (its mesh state)', () =>
    withTempDir(async (dir) => {
      const a = await openNode(dir);
      await a.org.updateSettings({ orgId: 'org-1', overlayRange: '10.77.0.0/16' });
      peerWrites(a, ({ settings }) => {
        settings.set('orgId', 'evil-org');
        settings.set('overlayRange', 'junk');
      });
      a.keeper.stop();
      await a.store.close();
      const b = await openNode(dir);
      assert.equal(b.org.settings().orgId, 'evil-org', 'without its own record a fresh reader has nothing to hold the document against');
      assert.deepEqual(b.org.adoptSettings({ orgId: 'org-1', overlayRange: '10.77.0.0/16' }), { orgId: 'org-1', overlayRange: '10.77.0.0/16' });
      assert.deepEqual(b.org.settings(), { orgId: 'org-1', overlayRange: '10.77.0.0/16' }, 'reading again keeps them');
      assert.deepEqual(b.org.contentCounters(), { badWorkloads: 0, badMembers: 0, badSettings: 1, orgIdChangeAttempts: 1 });
      assert.ok(warned(b.log, 'orgId', 'settings.orgId'));
      b.keeper.stop();
      await b.store.close();
    }));

  it('a member record must carry the key its id derives from, also through the local API', async () => {
    const org = new OrgDocument({ log: recordingLogger() });
    const other = memberRecord();
    await assert.rejects(org.putMember({ ...self, publicKey: other.publicKey }), (e: unknown) => e instanceof OrgRecordError && e.field === 'publicKey');
    await assert.rejects(org.putMember({ ...self, publicKey: 'k'.repeat(43) + '=' }), (e: unknown) => e instanceof OrgRecordError && e.field === 'publicKey');
    assert.deepEqual(await org.putMember(self), self);
  });
});
