// The maintainer as Startable components: durable state, fault hook, OrgSync, the local API and the gossip, in order.
import { randomBytes } from 'node:crypto';
import { NODE_PATHS } from '@fortros/core';
import { startable, type Startable } from '@fortros/daemon';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import { RpcServer } from '@fortros/rpc';
import { READINESS_LOG_INTERVAL_MS } from './constants.js';
import { maintainerService } from './api/maintainer-api.js';
import type { NodeInfo, NodeSource } from './api/sources.js';
import { MemberDirectory } from './membership/member-directory.js';
import { Membership } from './membership/membership.js';
import { loadOrCreateIdentity, overlayIpOf, type NodeIdentity } from './node/identity.js';
import { IncarnationStore } from './node/incarnation.js';
import { registerNodeMetrics } from './node/node-metrics.js';
import { formatHostPort, type MaintainerOptions } from './node/options.js';
import { MeshNode } from './mesh/mesh-node.js';
import type { SwimState } from './mesh/peer-set.js';
import { OrgDocument } from './org/org-doc.js';
import { OrgStore } from './org/org-store.js';
import { SelfRecordKeeper } from './org/self-record.js';
import { TestFaults } from './faults/test-faults.js';
import { orgSyncDialer, orgSyncService } from './replication/org-sync-grpc.js';
import { Replicator } from './replication/replicator.js';
import { newReplicationCounters } from './replication/replication-counters.js';

export interface DaemonComponents {
  log: Logger;
  /** Where the node's metrics go (served by the skeleton with --metrics); default: none. */
  metrics?: Registry;
}

/*
 * The components, in start order (each needs the ones before it; the skeleton stops them in reverse):
 *   1. store: identity (persist/wireguard/private.key), incarnation (persist/maintainer/incarnation), org store (replay)
 *   1b. mesh (--mesh wireguard, mesh/mesh-node.ts): the WireGuard interface, the org membership (founded, joined with
 *      a token, or restored from persist), peers following membership, the admission endpoint on --bind (TCP); the
 *      gossip host is then the overlay address, every peer packet and stream gated to members
 *   2. faults: the test-only fault injection (README "Fault injection"; absent unless FORTROS_TEST_DROP_PEERS* are set)
 *   3. replication: the replicator and the OrgSync server on the gossip host, TCP port = gossip port (each wrapped
 *      by the test-only fault injection when it is asked for)
 *   4. api: the local API on run/fortros/maintainer.sock (GetNode says ready=false until 5 ends)
 *   5. gossip: SWIM over UDP on --bind, joining through --join (retried until a seed answers); the initial sync (a full
 *      state exchange with one live peer; the first node, without --join, skips it); this node's member record (and,
 *      on the first node, the org id) written durably; ready. Stopping it leaves the gossip (bounded).
 */
export class Daemon implements NodeSource {
  readonly components: readonly Startable[];
  private readonly log: Logger;
  private readonly stopController = new AbortController();
  private readonly address: string;
  private identity: NodeIdentity | undefined;
  private incarnations: IncarnationStore | undefined;
  private incarnation = 0;
  private doc: Y.Doc | undefined;
  private store: OrgStore | undefined;
  private org: OrgDocument | undefined;
  /** Test-only fault injection (README "Fault injection"): undefined unless its environment variables are set. */
  private faults: TestFaults | undefined;
  private peers: Replicator | undefined;
  private selfRecord: SelfRecordKeeper | undefined;
  private membership: Membership | undefined;
  /** The WireGuard mesh (--mesh wireguard); undefined with --mesh none. */
  private mesh: MeshNode | undefined;
  private orgSyncServer: RpcServer | undefined;
  private apiServer: RpcServer | undefined;
  private readonly replicationCounters = newReplicationCounters();
  private ready = false;

  constructor(
    private readonly options: MaintainerOptions,
    c: DaemonComponents,
  ) {
    this.log = c.log.child({ component: 'maintainer' });
    this.address = formatHostPort(options.bind);
    if (c.metrics) {
      registerNodeMetrics(c.metrics, {
        counters: () => this.nodeInfo().stats,
        memberStates: () => this.membership?.members().map((m) => m.state) ?? [],
        documentBytes: () => (this.doc ? Y.encodeStateAsUpdate(this.doc).byteLength : 0),
      });
    }
    this.components = [
      startable('maintainer:store', () => this.openStore(), async () => this.store?.close()),
      startable('maintainer:mesh', () => this.startMesh(), async () => this.mesh?.stop()),
      startable('maintainer:faults', () => this.startFaults(), async () => this.faults?.stop()),
      startable('maintainer:replication', () => this.startReplication(), async () => {
        this.selfRecord?.stop();
        this.peers?.stop();
        await this.orgSyncServer?.stop();
      }),
      startable('maintainer:api', () => this.startApi(), async () => this.apiServer?.stop()),
      startable('maintainer:gossip', () => this.joinAndSync(), () => this.leave()),
    ];
  }

  private async openStore(): Promise<void> {
    const root = this.options.root;
    const identity = await loadOrCreateIdentity(root);
    this.identity = identity;
    if (identity.created) this.log.info('node key created', { file: identity.keyFile });
    this.incarnations = new IncarnationStore(join(root, NODE_PATHS.maintainerDir));
    this.incarnation = await this.incarnations.next();
    this.doc = new Y.Doc({ gc: true });
    this.store = new OrgStore({ dir: join(root, NODE_PATHS.maintainerDir), doc: this.doc, log: this.log.child({ component: 'maintainer:store' }) });
    await this.store.open();
    this.org = new OrgDocument({ doc: this.doc, log: this.log, durability: this.store });
    this.log.info('node identity', { id: identity.id, name: this.name, address: this.address, incarnation: this.incarnation, publicKey: identity.publicKey });
  }

  /** --mesh wireguard: the interface, membership of the org (founded, joined with a token, or restored), peers, admission. */
  private async startMesh(): Promise<void> {
    const o = this.options;
    if (o.mesh !== 'wireguard') return;
    this.mesh = new MeshNode({
      options: o,
      identity: this.identity!,
      org: this.org!,
      storeDir: join(o.root, NODE_PATHS.maintainerDir),
      swimState: (id) => this.membership?.member(id)?.state as SwimState | undefined,
      swimAddress: (id) => this.membership?.addressOf(id),
      log: this.log,
      signal: this.stopController.signal,
    });
    await this.mesh.start();
  }

  /** Where SWIM and OrgSync listen: the overlay address on the mesh, else --bind. */
  private get gossipAddress(): string {
    return this.mesh ? this.mesh.overlayAddress : this.address;
  }

  private async startFaults(): Promise<void> {
    this.faults = TestFaults.fromInputs(this.options.faults, this.log);
    await this.faults?.start();
  }

  private async startReplication(): Promise<void> {
    const o = this.options;
    const identity = this.identity!;
    const faults = this.faults;
    const mesh = this.mesh;
    this.membership = new Membership({
      id: identity.id,
      name: this.name,
      bind: this.gossipAddress,
      seeds: mesh ? mesh.seeds() : o.join.map(formatHostPort),
      publicKey: identity.publicKey,
      incarnation: this.incarnation,
      incarnations: this.incarnations!,
      wrapTransport: (udp) => {
        const gated = mesh ? mesh.gate.transport(udp) : udp;
        return faults ? faults.transport(gated) : gated;
      },
      log: this.log,
    });
    const membership = this.membership;
    if (mesh) membership.onMemberEvent(() => mesh.membershipChanged());
    const addressOf = (id: string): string | undefined => membership.addressOf(id);
    const directory = faults?.directory(membership, addressOf) ?? membership;
    const dialer = faults?.dialer(orgSyncDialer) ?? orgSyncDialer;
    const peers = new Replicator({ doc: this.doc!, selfId: identity.id, directory, dialer, counters: this.replicationCounters, log: this.log });
    this.peers = peers;
    peers.start();
    const acceptor = faults?.acceptor(peers, addressOf) ?? peers;
    this.orgSyncServer = new RpcServer({ tcpAddress: this.gossipAddress, services: [orgSyncService(acceptor, mesh?.admitSync)], logger: this.log });
    await this.orgSyncServer.start();
  }

  private async startApi(): Promise<void> {
    const org = this.org!;
    const members = new MemberDirectory(this.membership!, org);
    this.apiServer = new RpcServer({
      socketPath: join(this.options.root, NODE_PATHS.maintainerSocket),
      services: [maintainerService({ org, node: this, members, selfId: this.identity!.id, ...(this.mesh ? { tokens: this.mesh } : {}) })],
      logger: this.log,
    });
    await this.apiServer.start();
  }

  /** Gossip, initial sync, our record: returns once ready (or stopped). */
  private async joinAndSync(): Promise<void> {
    const signal = this.stopController.signal;
    const membership = this.membership!;
    const peers = this.peers!;
    const org = this.org!;
    // a member back from the dead gets a state exchange at once (heals partitions quickly), a few per interval
    membership.onMemberEvent((e) => {
      if (e.type === 'member:join' || e.type === 'member:alive') peers.memberRevived(e.member.id);
    });
    await membership.start();
    const first = this.mesh ? this.mesh.first : this.options.join.length === 0;
    const waiting = setInterval(() => this.log.info('not ready yet', { joined: membership.joined, synced: peers.isSynced }), READINESS_LOG_INTERVAL_MS);
    try {
      await membership.whenJoined(signal);
      if (signal.aborted) return;
      this.log.info(first ? 'first node: not joining anyone' : 'joined the gossip', { members: membership.liveCount });
      if (first) peers.markSynced();
      else await peers.initialSync(signal);
      if (signal.aborted) return;
    } finally {
      clearInterval(waiting);
    }
    if (first && org.settings().orgId === '') await org.updateSettings({ orgId: randomBytes(8).toString('hex') });
    await this.writeSelfRecord();
    if (signal.aborted) return;
    this.ready = true;
    this.log.info('ready', { id: this.identity!.id, orgId: org.settings().orgId, members: membership.liveCount });
  }

  private async leave(): Promise<void> {
    this.stopController.abort();
    await this.membership?.leave().catch((err: unknown) => this.log.warn('leave failed', { err }));
  }

  private get name(): string {
    return this.options.name ?? this.identity?.id ?? '';
  }

  private overlayIp(): string {
    if (this.mesh) return this.mesh.overlayIp;
    return this.identity && this.org ? overlayIpOf(this.identity.publicKey, this.org.settings().overlayRange) : '';
  }

  /** Writes this node's member record and keeps restoring it if a peer removes or alters it. */
  private async writeSelfRecord(): Promise<void> {
    const org = this.org!;
    const id = this.identity!;
    const existing = org.getMember(id.id);
    const record = {
      id: id.id,
      name: this.name,
      address: this.address,
      overlayIp: this.overlayIp(),
      publicKey: id.publicKey,
      labels: this.options.labels,
      joinedAt: existing?.joinedAt ?? new Date().toISOString(),
    };
    this.selfRecord = new SelfRecordKeeper({ org, record, log: this.log });
    await this.selfRecord.start();
  }

  nodeInfo(): NodeInfo {
    const id = this.identity;
    const swim = this.membership?.stats() ?? { packetsIn: 0, packetsOut: 0, malformed: 0, implausible: 0 };
    const s = this.replicationCounters;
    const bad = this.org?.contentCounters();
    const store = this.store?.stats();
    return {
      id: id?.id ?? '',
      name: this.name,
      address: this.address,
      overlayIp: this.overlayIp(),
      publicKey: id?.publicKey ?? '',
      labels: this.options.labels,
      incarnation: this.membership?.incarnation ?? 0,
      ready: this.ready,
      orgId: this.org?.settings().orgId ?? '',
      liveMembers: this.membership?.liveCount ?? 1,
      stats: {
        gossipPacketsIn: swim.packetsIn,
        gossipPacketsOut: swim.packetsOut,
        gossipMalformed: swim.malformed,
        syncMessagesIn: s.messagesIn,
        syncMessagesOut: s.messagesOut,
        syncMalformed: s.malformed,
        syncUpdatesApplied: s.updatesApplied,
        syncLinksOpened: s.linksOpened,
        syncLinksFailed: s.linksFailed,
        storeAppends: store?.appends ?? 0,
        faultsDropped: this.faults?.dropped ?? 0,
        orgBadWorkloads: bad?.badWorkloads ?? 0,
        orgBadMembers: bad?.badMembers ?? 0,
        orgBadSettings: bad?.badSettings ?? 0,
        orgIdChangeAttempts: bad?.orgIdChangeAttempts ?? 0,
        selfRecordRestores: this.selfRecord?.restores ?? 0,
        storeWritesRefused: store?.writesRefused ?? 0,
        storeReadOnly: store?.readOnly ?? false,
        gossipImplausible: swim.implausible,
        gossipNotMember: this.mesh?.counters.gossipNotMember ?? 0,
        syncNotMember: this.mesh?.counters.syncNotMember ?? 0,
        admissionAdmitted: this.mesh?.counters.admitted ?? 0,
        admissionRefused: this.mesh?.counters.refused ?? 0,
      },
    };
  }
}
