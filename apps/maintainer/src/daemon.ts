// The maintainer daemon: identity, durable org document, OrgSync, SWIM membership and the local API, in start order.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Logger } from '@fortros/log';
import { RpcServer } from '@fortros/rpc';
import { READINESS_LOG_INTERVAL_MS, STOP_TIMEOUT_MS } from './constants.js';
import { maintainerService } from './api/maintainer-api.js';
import type { NodeInfo, NodeSource } from './api/sources.js';
import { MemberDirectory } from './membership/member-directory.js';
import { Membership } from './membership/membership.js';
import { MeshNode } from './mesh/mesh-node.js';
import type { SwimState } from './mesh/peer-set.js';
import { loadOrCreateIdentity, overlayIpOf, type NodeIdentity } from './node/identity.js';
import { IncarnationStore } from './node/incarnation.js';
import { formatHostPort, type MaintainerOptions } from './node/options.js';
import { OrgDocument } from './org/org-doc.js';
import { OrgStore } from './org/org-store.js';
import { TestFaults } from './faults/test-faults.js';
import { orgSyncDialer, orgSyncService } from './replication/org-sync-grpc.js';
import { Replicator } from './replication/replicator.js';
import { newReplicationCounters } from './replication/replication-counters.js';

export const SOCKET_PATH = 'run/fortros/maintainer.sock';
export const STORE_DIR = 'persist/maintainer';

export interface DaemonComponents {
  log: Logger;
  /** Called once, when the node is ready (DESIGN §1 minus the mesh). */
  onReady: () => void;
}

/*
 * Start order (each step needs the ones before it):
 *   1. identity (persist/wireguard/private.key), incarnation (persist/maintainer/incarnation), org store (open: replay)
 *   1b. --mesh wireguard (mesh/mesh-node.ts): the WireGuard interface, the org membership (founded, joined with a
 *       token, or restored from persist), peers following membership, the admission endpoint on --bind (TCP);
 *       the gossip host is then the overlay address, every peer packet and stream gated to members
 *   2. OrgSync server on the gossip host, TCP port = gossip port; the replicator
 *   3. the local API on run/fortros/maintainer.sock (GetNode says ready=false until step 6)
 *   4. SWIM over UDP on --bind, joining through --join (the core retries the seeds until one answers)
 *   5. initial sync: a full state exchange with one live peer (the first node, without --join, skips 4's wait and 5)
 *   6. this node's member record (and, on the first node, the org id) written durably; ready
 * stop() undoes it in reverse: leave the gossip, close links and servers, close the store.
 */
export class Daemon implements NodeSource {
  private readonly log: Logger;
  private readonly stopController = new AbortController();
  private readonly address: string;
  private identity: NodeIdentity | undefined;
  private doc: Y.Doc | undefined;
  private store: OrgStore | undefined;
  private org: OrgDocument | undefined;
  /** Test-only fault injection (README "Fault injection"): undefined unless its environment variables are set. */
  private faults: TestFaults | undefined;
  private peers: Replicator | undefined;
  private membership: Membership | undefined;
  /** The WireGuard mesh (--mesh wireguard); undefined with --mesh none. */
  private mesh: MeshNode | undefined;
  private orgSyncServer: RpcServer | undefined;
  private apiServer: RpcServer | undefined;
  private readonly replicationCounters = newReplicationCounters();
  private ready = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: MaintainerOptions,
    private readonly c: DaemonComponents,
  ) {
    this.log = c.log.child({ component: 'maintainer' });
    this.address = formatHostPort(options.bind);
  }

  async start(): Promise<void> {
    const o = this.options;
    const signal = this.stopController.signal;
    // 1. identity, incarnation, durable document
    const identity = await loadOrCreateIdentity(o.root);
    this.identity = identity;
    if (identity.created) this.log.info('node key created', { file: identity.keyFile });
    const incarnations = new IncarnationStore(join(o.root, STORE_DIR));
    const incarnation = await incarnations.next();
    this.doc = new Y.Doc({ gc: true });
    this.store = new OrgStore({ dir: join(o.root, STORE_DIR), doc: this.doc, log: this.log.child({ component: 'maintainer:store' }) });
    await this.store.open();
    const org = new OrgDocument({ doc: this.doc, log: this.log, durability: this.store });
    this.org = org;
    this.log.info('node identity', { id: identity.id, name: this.name, address: this.address, incarnation, publicKey: identity.publicKey });
    if (signal.aborted) return;

    // 1b. the mesh: interface, membership of the org (founded, joined with a token, or restored), peers, admission
    if (o.mesh === 'wireguard') {
      this.mesh = new MeshNode({
        options: o,
        identity,
        org,
        storeDir: join(o.root, STORE_DIR),
        swimState: (id) => this.membership?.member(id)?.state as SwimState | undefined,
        log: this.log,
        signal,
      });
      await this.mesh.start();
      if (signal.aborted) return;
    }
    const mesh = this.mesh;
    const gossipAddress = mesh ? mesh.overlayAddress : this.address;

    // 2. replication: the replicator, OrgSync server (each wrapped by the test-only fault injection when asked for)
    const faults = TestFaults.fromInputs(o.faults, this.log);
    this.faults = faults;
    await faults?.start();
    const membership = new Membership({
      id: identity.id,
      name: this.name,
      bind: gossipAddress,
      seeds: mesh ? mesh.seeds() : o.join.map(formatHostPort),
      publicKey: identity.publicKey,
      incarnation,
      incarnations,
      wrapTransport: (udp) => {
        const gated = mesh ? mesh.gate.transport(udp) : udp;
        return faults ? faults.transport(gated) : gated;
      },
      log: this.log,
    });
    this.membership = membership;
    const addressOf = (id: string): string | undefined => membership.addressOf(id);
    const directory = faults?.directory(membership, addressOf) ?? membership;
    const dialer = faults?.dialer(orgSyncDialer) ?? orgSyncDialer;
    const peers = new Replicator({ doc: this.doc, selfId: identity.id, directory, dialer, counters: this.replicationCounters, log: this.log });
    this.peers = peers;
    peers.start();
    const acceptor = faults?.acceptor(peers, addressOf) ?? peers;
    this.orgSyncServer = new RpcServer({ tcpAddress: gossipAddress, services: [orgSyncService(acceptor, mesh?.admitSync)], logger: this.log });
    await this.orgSyncServer.start();

    // 3. local API
    const members = new MemberDirectory(membership, org);
    this.apiServer = new RpcServer({
      socketPath: join(o.root, SOCKET_PATH),
      services: [maintainerService({ org, node: this, members, selfId: identity.id, ...(mesh ? { tokens: mesh } : {}) })],
      logger: this.log,
    });
    await this.apiServer.start();
    if (signal.aborted) return;

    // 4. gossip; a member back from the dead gets a state exchange at once (heals partitions quickly)
    membership.onMemberEvent((e) => {
      if (e.type === 'member:join' || e.type === 'member:alive') peers.syncWith(e.member.id);
    });
    await membership.start();
    const first = mesh ? mesh.first : o.join.length === 0;
    const waiting = setInterval(() => this.log.info('not ready yet', { joined: membership.joined, synced: peers.isSynced }), READINESS_LOG_INTERVAL_MS);
    try {
      await membership.whenJoined(signal);
      if (signal.aborted) return;
      this.log.info(first ? 'first node: not joining anyone' : 'joined the gossip', { members: membership.liveCount });
      // 5. initial sync
      if (first) peers.markSynced();
      else await peers.initialSync(signal);
      if (signal.aborted) return;
    } finally {
      clearInterval(waiting);
    }

    // 6. our durable identity in the document, then ready
    if (first && org.settings().orgId === '') await org.updateSettings({ orgId: randomBytes(8).toString('hex') });
    await this.writeSelfRecord();
    if (signal.aborted) return;
    this.ready = true;
    this.log.info('ready', { id: identity.id, orgId: org.settings().orgId, members: membership.liveCount });
    this.c.onReady();
  }

  /** Leaves the gossip, closes links, servers and the store. Idempotent; bounded by STOP_TIMEOUT_MS. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopController.abort();
      const work = (async () => {
        await this.membership?.leave().catch((err: unknown) => this.log.warn('leave failed', { err }));
        this.peers?.stop();
        await this.apiServer?.stop();
        await this.orgSyncServer?.stop();
        await this.mesh?.stop();
        await this.store?.close();
        this.faults?.stop();
      })();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS)))]);
      clearTimeout(timer);
      this.log.info('stopped');
    })();
    return this.stopping;
  }

  private get name(): string {
    return this.options.name ?? this.identity?.id ?? '';
  }

  private overlayIp(): string {
    if (this.mesh) return this.mesh.overlayIp;
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
    const s = this.replicationCounters;
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
        gossipNotMember: this.mesh?.counters.gossipNotMember ?? 0,
        syncNotMember: this.mesh?.counters.syncNotMember ?? 0,
        admissionAdmitted: this.mesh?.counters.admitted ?? 0,
        admissionRefused: this.mesh?.counters.refused ?? 0,
      },
    };
  }
}
