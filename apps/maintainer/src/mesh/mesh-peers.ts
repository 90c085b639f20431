// Keeps the WireGuard interface configured (key, listen port, overlay address, up) and its peers following
// membership, as a diff, on each membership event (poke), on demand and every MESH_RESYNC_INTERVAL_MS; re-applies
// everything after the interface was recreated (a wireguard-go restart). Also feeds the member gate the peers' overlay
// addresses. A poke whose peer set is the one last applied reads nothing from the interface: most membership events
// (a member suspected, then alive again) change no peer, and each read is two processes (`wg show`, `ip address`).
import type { Logger } from '@fortros/log';
import type { WireguardInterface } from '@fortros/wireguard';
import { MESH_KEEPALIVE_S, MESH_MISSING_RETRY_MS, MESH_PEER_REMOVE_GRACE_MS, MESH_RESYNC_INTERVAL_MS } from '../constants.js';
import type { AnswerPeer } from '../admission/admission-crypto.js';
import type { MemberRecord } from '../org/org-records.js';
import type { MemberGate } from './member-gate.js';
import { desiredPeers, type MeshPeer, type SwimState } from './peer-set.js';

export interface MeshPeersOptions {
  wg: WireguardInterface;
  /** base64; handed to wg through a 0600 file, never logged. */
  privateKey: string;
  publicKey: string;
  listenPort: number;
  /** The overlay address with the org range's prefix length, e.g. 10.42.7.9/16. */
  addressCidr: string;
  seeds: readonly AnswerPeer[];
  members: () => readonly MemberRecord[];
  swimState: (id: string) => SwimState | undefined;
  swimOverlayIp?: (id: string) => string | undefined;
  gate: MemberGate;
  log: Logger;
  now?: () => number;
}

export class MeshPeers {
  private readonly log: Logger;
  private readonly goneSince = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private missingLogged = false;
  /** A pass is queued and has not started: later pokes share it. */
  private queued = false;
  private current: MeshPeer[] = [];

  constructor(private readonly o: MeshPeersOptions) {
    this.log = o.log.child({ component: 'maintainer:mesh', interface: o.wg.name });
  }

  /** Configures the interface and applies the peers once (throws if that fails), then on pokes and every interval. */
  async start(): Promise<void> {
    await this.refresh(true);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The peers last applied. */
  peers(): readonly MeshPeer[] {
    return this.current;
  }

  /**
   * Membership or a member record changed: reconcile soon; pokes while a pass is queued share that pass. That pass
   * touches the interface only if the peers it wants differ from those last applied (drift is the timer's job).
   */
  poke(): void {
    if (this.stopped || this.queued) return;
    this.queued = true;
    void this.refresh(false, 'changed');
  }

  /**
   * Reconcile now (after the chain of earlier runs); errors are logged unless `strict`. `full` reads the interface
   * and repairs any drift; `changed` (a poke) only when the wanted peers changed.
   */
  refresh(strict = false, pass: 'full' | 'changed' = 'full'): Promise<void> {
    const run = this.chain.then(() => {
      this.queued = false; // this pass reads membership after every poke so far
      return this.reconcile(pass);
    });
    this.chain = run.catch(() => undefined);
    return strict ? run : run.catch((err: unknown) => this.log.warn('mesh reconcile failed', { err }));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh().finally(() => this.schedule()), this.missingLogged ? MESH_MISSING_RETRY_MS : MESH_RESYNC_INTERVAL_MS);
  }

  private async reconcile(pass: 'full' | 'changed'): Promise<void> {
    const { wg, o } = { wg: this.o.wg, o: this.o };
    if (pass === 'changed' && !this.missingLogged && samePeers(this.wanted(), this.current)) return;
    let state;
    try {
      state = await wg.show();
    } catch (err) {
      if (await wg.exists()) throw err;
      if (!this.missingLogged) this.log.warn('mesh interface missing; waiting for it to come back');
      this.missingLogged = true;
      return;
    }
    const fresh = state.publicKey !== o.publicKey || state.listenPort !== o.listenPort || !(await wg.addresses()).includes(o.addressCidr);
    if (fresh || this.missingLogged) {
      if (state.publicKey !== o.publicKey) await wg.setPrivateKey(o.privateKey);
      if (state.listenPort !== o.listenPort) await wg.setListenPort(o.listenPort);
      await wg.addAddress(o.addressCidr);
      await wg.up();
      this.log.info('mesh interface configured', { address: o.addressCidr, listenPort: o.listenPort, publicKey: o.publicKey });
      this.missingLogged = false;
    }
    const desired = this.wanted();
    // the gate opens to new peers before WireGuard can deliver their packets, and closes after it stops
    this.o.gate.setMembers([...desired, ...this.current].map((p) => p.overlayIp));
    const ops = await wg.applyPeers(
      desired.map(({ overlayIp: _ip, ...peer }) => peer),
      fresh ? undefined : state.peers,
    );
    this.current = desired;
    this.o.gate.setMembers(desired.map((p) => p.overlayIp));
    if (ops.length > 0) {
      this.log.info('mesh peers applied', {
        added: ops.filter((x) => x.kind === 'add').length,
        updated: ops.filter((x) => x.kind === 'update').length,
        removed: ops.filter((x) => x.kind === 'remove').length,
        peers: desired.length,
      });
    }
  }

  /** The peers membership asks for now (also notes when members were first seen gone). */
  private wanted(): MeshPeer[] {
    const o = this.o;
    return desiredPeers({
      selfPublicKey: o.publicKey,
      members: o.members(),
      seeds: o.seeds,
      swimState: o.swimState,
      swimOverlayIp: o.swimOverlayIp,
      goneSince: this.goneSince,
      now: (o.now ?? Date.now)(),
      graceMs: MESH_PEER_REMOVE_GRACE_MS,
      keepaliveS: MESH_KEEPALIVE_S,
    });
  }
}

/** Whether two peer sets would configure WireGuard and the gate the same (any order). */
function samePeers(a: readonly MeshPeer[], b: readonly MeshPeer[]): boolean {
  if (a.length !== b.length) return false;
  const key = (p: MeshPeer): string => JSON.stringify([p.publicKey, p.endpoint ?? '', p.allowedIps, p.persistentKeepaliveS ?? 0, p.overlayIp]);
  const seen = new Set(b.map(key));
  return a.every((p) => seen.has(key(p)));
}
