// The node on its WireGuard mesh (--mesh wireguard): the interface, this node's org membership (founded, joined with a
// token, or restored from persist), the member gate, the peers following membership, and the admission issuer on
// the underlay. The daemon runs SWIM and OrgSync on `overlayAddress` through `gate`.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Logger } from '@fortros/log';
import type { RpcServer } from '@fortros/rpc';
import { WireguardInterface } from '@fortros/wireguard';
import { MESH_ANSWER_PEERS, OVERLAY_PORT } from '../constants.js';
import { MeshSetupError, MeshUnavailableError, NotAMemberError } from '../errors.js';
import { AdmissionIssuer, type AdmissionGrant, type Joiner } from '../admission/admission-issuer.js';
import type { AnswerPeer } from '../admission/admission-crypto.js';
import { joinWithToken } from '../admission/join-client.js';
import { TokenStore } from '../admission/token-store.js';
import { nodeIdOf, overlayIpOf, parsePrivateKey, type NodeIdentity } from '../node/identity.js';
import { formatHostPort, type MaintainerOptions } from '../node/options.js';
import type { OrgDocument } from '../org/org-doc.js';
import { readIfExists } from '../org/store-files.js';
import { hostOf, MemberGate } from './member-gate.js';
import { freeOverlayIp } from './overlay-address.js';
import { MeshPeers } from './mesh-peers.js';
import { loadMeshState, saveMeshState, type MeshState } from './mesh-state.js';
import type { SwimState } from './peer-set.js';

/** Strict reverse-path filtering: a packet arriving on the underlay can never carry an overlay source address. */
const RP_FILTER_FILES = ['/proc/sys/net/ipv4/conf/all/rp_filter', '/proc/sys/net/ipv4/conf/default/rp_filter'];

export interface MeshNodeOptions {
  options: MaintainerOptions;
  identity: NodeIdentity;
  org: OrgDocument;
  /** persist/maintainer: where mesh.json lives. */
  storeDir: string;
  swimState: (id: string) => SwimState | undefined;
  /** The gossip address (overlayIp:port) SWIM knows a member at. */
  swimAddress: (id: string) => string | undefined;
  log: Logger;
  signal: AbortSignal;
}

export interface CreatedToken {
  token: string;
  tokenId: string;
  expiresAtMs: number;
}

export class MeshNode {
  readonly gate: MemberGate;
  private peers: MeshPeers | undefined;
  private issuer: AdmissionIssuer | undefined;
  private server: RpcServer | undefined;
  private tokens: TokenStore | undefined;
  private state: MeshState | undefined;
  private wg: WireguardInterface | undefined;
  private createdInterface = false;
  private founder = false;
  private offMembers: (() => void) | undefined;
  private readonly log: Logger;
  private readonly underlay: string;

  constructor(private readonly o: MeshNodeOptions) {
    this.log = o.log.child({ component: 'maintainer:mesh' });
    this.gate = new MemberGate(o.log);
    this.underlay = formatHostPort(o.options.bind);
  }

  /** True when this node is alone in its org (founded it now, or restarted before anyone joined): nobody to join or sync with. */
  get first(): boolean {
    return this.founder;
  }

  get overlayIp(): string {
    return this.state?.overlayIp ?? '';
  }

  /** SWIM (UDP) and OrgSync (TCP) bind here. */
  get overlayAddress(): string {
    return `${this.overlayIp}:${OVERLAY_PORT}`;
  }

  /** Where SWIM joins: every known member's overlay address (none on a founding node). */
  seeds(): string[] {
    return this.first ? [] : (this.peers?.peers() ?? []).map((p) => `${p.overlayIp}:${OVERLAY_PORT}`);
  }

  get counters(): { gossipNotMember: number; syncNotMember: number; admitted: number; refused: number } {
    const refused = Object.values(this.issuer?.counters.refused ?? {}).reduce((a, b) => a + b, 0);
    return { ...this.gate.counters, admitted: this.issuer?.counters.admitted ?? 0, refused };
  }

  /** Interface up and configured, membership settled (founded, joined or restored), peers applied, issuer serving. */
  async start(): Promise<void> {
    const { options: opt, identity, org, storeDir, signal } = this.o;
    await this.strictReversePath();
    const keyText = (await readIfExists(identity.keyFile))?.toString('utf8') ?? '';
    const privateKey = parsePrivateKey(keyText, identity.keyFile).toString('base64');
    this.wg = await this.openInterface();
    // listening on the underlay port with our key before a join, so the issuer's handshake finds us
    await this.wg.setPrivateKey(privateKey);
    await this.wg.setListenPort(opt.bind.port);
    await this.wg.up();

    let state = await loadMeshState(storeDir);
    const own = org.getMember(identity.id);
    if (!state && org.settings().orgId !== '' && own) {
      state = { orgId: org.settings().orgId, overlayRange: org.settings().overlayRange, overlayIp: own.overlayIp, peers: [] };
    }
    if (state) {
      if (opt.joinToken !== undefined) this.log.info('already a member of the org: rejoining with this node key; the join token is not used', { orgId: state.orgId });
    } else if (opt.joinToken !== undefined) {
      const answer = await joinWithToken(opt.joinToken, { publicKey: identity.publicKey, endpoint: this.underlay, signal });
      state = { orgId: answer.orgId, overlayRange: answer.overlayRange, overlayIp: answer.overlayIp, peers: answer.peers };
      this.log.info('admitted to the org', { orgId: state.orgId, overlayIp: state.overlayIp, issuer: answer.issuer, peers: answer.peers.length });
    } else {
      const orgId = org.settings().orgId || randomBytes(8).toString('hex');
      await org.updateSettings({ orgId });
      state = { orgId, overlayRange: org.settings().overlayRange, overlayIp: overlayIpOf(identity.publicKey, org.settings().overlayRange), peers: [] };
      this.founder = true;
      this.log.info('founded a new org: no join token and no membership', { orgId });
    }
    await saveMeshState(storeDir, state);
    this.state = state;
    org.adoptSettings({ orgId: state.orgId, overlayRange: state.overlayRange }); // a peer's junk in the loaded document changes neither
    if (!this.founder) this.founder = org.listMembers().every((m) => m.id === identity.id) && state.peers.length === 0;

    const prefix = state.overlayRange.split('/')[1] ?? '32';
    this.peers = new MeshPeers({
      wg: this.wg,
      privateKey,
      publicKey: identity.publicKey,
      listenPort: opt.bind.port,
      addressCidr: `${state.overlayIp}/${prefix}`,
      seeds: state.peers,
      members: () => org.listMembers(),
      swimState: this.o.swimState,
      swimOverlayIp: (id) => {
        const a = this.o.swimAddress(id);
        return a === undefined ? undefined : hostOf(a);
      },
      gate: this.gate,
      log: this.o.log,
    });
    await this.peers.start();
    this.offMembers = org.on('member:changed', () => this.peers?.poke());

    this.tokens = await TokenStore.open({ root: opt.root });
    this.issuer = new AdmissionIssuer({ store: this.tokens, publicKey: identity.publicKey, admit: (j) => this.admit(j), log: this.o.log });
    this.server = this.issuer.server(this.underlay);
    await this.server.start();
    this.log.info('admission endpoint serving', { address: this.underlay });
  }

  /** SWIM saw a member join, turn suspect, dead, alive again or leave: the peers follow. */
  membershipChanged(): void {
    this.peers?.poke();
  }

  /** Throws NotAMemberError (counted) for an OrgSync caller that is not a member's overlay address. */
  readonly admitSync = (peerAddress: string): void => {
    if (this.gate.admits(peerAddress)) return;
    this.gate.dropped('syncNotMember', peerAddress);
    throw new NotAMemberError(peerAddress);
  };

  async createToken(ttlMs: number | undefined, uses: number | undefined): Promise<CreatedToken> {
    const orgId = this.o.org.settings().orgId;
    if (!this.tokens || orgId === '') throw new MeshUnavailableError('token create', 'this node has not joined an org yet');
    const { token, info } = await this.tokens.create({ orgId, address: this.underlay, ...(ttlMs ? { ttlMs } : {}), ...(uses ? { uses } : {}) });
    this.log.info('join token created', { tokenId: info.id, uses: info.uses, expiresAt: new Date(info.expiresAtMs).toISOString() });
    return { token, tokenId: info.id, expiresAtMs: info.expiresAtMs };
  }

  /** Writes the proven joiner's member record durably, makes it a peer, and names the peers it should reach. */
  private async admit(j: Joiner): Promise<AdmissionGrant> {
    const { org, identity } = this.o;
    const range = org.settings().overlayRange;
    const id = nodeIdOf(j.publicKey);
    const existing = org.getMember(id);
    const taken = new Set(org.listMembers().filter((m) => m.id !== id).map((m) => m.overlayIp));
    taken.add(this.overlayIp);
    const overlayIp = existing && !taken.has(existing.overlayIp) ? existing.overlayIp : freeOverlayIp(j.publicKey, range, taken);
    if (overlayIp === undefined) throw new MeshSetupError(`admission of ${id}`, `no free overlay address left in ${range}`);
    if (overlayIp !== overlayIpOf(j.publicKey, range)) this.log.info('overlay address taken: the joiner gets the next free one', { joiner: id, overlayIp });
    await org.putMember({
      id,
      name: existing?.name ?? id,
      address: j.endpoint,
      overlayIp,
      publicKey: j.publicKey,
      labels: existing?.labels ?? {},
      joinedAt: existing?.joinedAt ?? new Date().toISOString(),
    });
    await this.peers?.refresh();
    const self: AnswerPeer = { publicKey: identity.publicKey, endpoint: this.underlay, overlayIp: this.overlayIp };
    const others = (this.peers?.peers() ?? []).filter((p) => p.publicKey !== j.publicKey && p.endpoint !== undefined).slice(0, MESH_ANSWER_PEERS);
    return { overlayRange: range, overlayIp, peers: [self, ...others.map((p) => ({ publicKey: p.publicKey, endpoint: p.endpoint!, overlayIp: p.overlayIp }))] };
  }

  private async openInterface(): Promise<WireguardInterface> {
    const name = this.o.options.interface;
    const attached = WireguardInterface.attach(name, { signal: this.o.signal });
    if (await attached.exists()) return attached;
    try {
      const created = await WireguardInterface.create(name, { signal: this.o.signal });
      this.createdInterface = true;
      this.log.info('mesh interface created (no wireguard service made it)', { backend: created.backend });
      return created;
    } catch (err) {
      throw new MeshSetupError(`interface ${name}`, 'cannot create it', { cause: err });
    }
  }

  private async strictReversePath(): Promise<void> {
    for (const f of RP_FILTER_FILES) {
      await writeFile(f, '1\n').catch((err: unknown) => this.log.warn('cannot turn on strict reverse-path filtering', { file: f, err }));
    }
  }

  async stop(): Promise<void> {
    this.offMembers?.();
    this.peers?.stop();
    await this.server?.stop();
    if (this.createdInterface) await this.wg?.delete().catch((err: unknown) => this.log.warn('interface delete failed', { err }));
  }
}

