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
import { OrgDocument } from './org/org-doc.js';
import { OrgStore } from './org/org-store.js';
import { FaultInjector } from './sync/faults.js';
import { grpcDialer, orgSyncService } from './sync/grpc-transport.js';
import { PeerManager } from './sync/peer-manager.js';
import { newSyncCounters } from './sync/sync-counters.js';

export interface DaemonComponents {
  log: Logger;
  /** Where the node's metrics go (served by the skeleton with --metrics); default: none. */
  metrics?: Registry;
}

/*
 * The components, in start order (each needs the ones before it; the skeleton stops them in reverse):
 *   1. store: identity (persist/wireguard/private.key), incarnation (persist/maintainer/incarnation), org store (replay)
 *   2. faults: the test-only fault hook (inert unless FORTROS_TEST_DROP_PEERS* are set)
 *   3. sync: the peer manager and the OrgSync server on the gossip host, TCP port = gossip port
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
  private faults: FaultInjector | undefined;
  private peers: PeerManager | undefined;
  private membership: Membership | undefined;
  private syncServer: RpcServer | undefined;
  private apiServer: RpcServer | undefined;
  private readonly syncCounters = newSyncCounters();
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
      startable('maintainer:faults', () => this.startFaults(), async () => this.faults?.stop()),
      startable('maintainer:sync', () => this.startSync(), async () => {
        this.peers?.stop();
        await this.syncServer?.stop();
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

  private async startFaults(): Promise<void> {
    this.faults = new FaultInjector({ ...this.options.faults, log: this.log.child({ component: 'maintainer:faults' }) });
    await this.faults.start();
  }

  private async startSync(): Promise<void> {
    const o = this.options;
    const identity = this.identity!;
    this.membership = new Membership({
      id: identity.id,
      name: this.name,
      bind: this.address,
      seeds: o.join.map(formatHostPort),
      publicKey: identity.publicKey,
      incarnation: this.incarnation,
      incarnations: this.incarnations!,
      faults: this.faults!,
      log: this.log,
    });
    const peers = new PeerManager({ doc: this.doc!, selfId: identity.id, directory: this.membership, dialer: grpcDialer, faults: this.faults!, counters: this.syncCounters, log: this.log });
    this.peers = peers;
    peers.start();
    this.syncServer = new RpcServer({ tcpAddress: this.address, services: [orgSyncService(peers)], logger: this.log });
    await this.syncServer.start();
  }

  private async startApi(): Promise<void> {
    const org = this.org!;
    const members = new MemberDirectory(this.membership!, org);
    this.apiServer = new RpcServer({
      socketPath: join(this.options.root, NODE_PATHS.maintainerSocket),
      services: [maintainerService({ org, node: this, members, selfId: this.identity!.id })],
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
    // a member back from the dead gets a state exchange at once (heals partitions quickly)
    membership.onMemberEvent((e) => {
      if (e.type === 'member:join' || e.type === 'member:alive') peers.syncWith(e.member.id);
    });
    await membership.start();
    const first = this.options.join.length === 0;
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
    return this.identity && this.org ? overlayIpOf(this.identity.publicKey, this.org.settings().overlayRange) : '';
  }

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
    if (existing && JSON.stringify(existing) === JSON.stringify(record)) return;
    await org.putMember(record);
  }

  nodeInfo(): NodeInfo {
    const id = this.identity;
    const swim = this.membership?.stats() ?? { packetsIn: 0, packetsOut: 0, malformed: 0 };
    const s = this.syncCounters;
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
        storeAppends: this.store?.stats().appends ?? 0,
        faultsDropped: this.faults?.dropped ?? 0,
      },
    };
  }
}
