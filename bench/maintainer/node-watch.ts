// One maintainer watched from the bench: a client on its local API socket, WatchMembers and WatchWorkloads kept open,
// and what they reported (with the bench's clock at arrival). Used for loopback and mesh nodes alike.
import { MaintainerV1 } from '@fortros/proto';
import { closeClient, createClient, serverStream, unary } from '@fortros/rpc';

/** What one node's watches saw, with the bench's clock (performance.now()) at arrival. */
export interface NodeView {
  synced: boolean;
  /** member id → state name (MEMBER_STATE_…). */
  members: Map<string, string>;
  /** workload id → ms when this node first reported it. */
  workloadsSeen: Map<string, number>;
  /** member id → ms of the latest DEAD event about it. */
  deadAt: Map<string, number>;
  /** Every SUSPECT / DEAD event: about whom and when. */
  alarms: { type: 'suspect' | 'dead'; subject: string; at: number }[];
}

/** Called after every event a watch delivered (the view already updated), with its arrival time. */
export type ViewListener = (at: number) => void;

export class NodeWatch {
  id = '';
  readonly view: NodeView = { synced: false, members: new Map(), workloadsSeen: new Map(), deadAt: new Map(), alarms: [] };
  private client: MaintainerV1.MaintainerClient | undefined;
  private watches = new AbortController();
  private readonly listeners = new Set<ViewListener>();

  constructor(readonly name: string) {}

  /** Opens a client on `socket`, reads the node's id, and starts both watches (a fresh member view). */
  async open(socket: string): Promise<void> {
    this.close();
    this.watches = new AbortController();
    this.view.synced = false;
    this.view.members.clear();
    this.client = createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), socket);
    this.id = (await unary(this.client, 'getNode', {})).id;
    this.watchMembers();
    this.watchWorkloads();
  }

  api(): MaintainerV1.MaintainerClient {
    if (!this.client) throw new Error(`${this.name}: not open`);
    return this.client;
  }

  /** Calls `listener` after each event until the returned function is called. */
  onEvent(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(at: number): void {
    for (const l of this.listeners) l(at);
  }

  private watchMembers(): void {
    const signal = this.watches.signal;
    void (async () => {
      for await (const e of serverStream(this.api(), 'watchMembers', { includeCurrent: true }, { signal })) {
        const at = performance.now();
        if (e.type === 'TYPE_SYNCED') this.view.synced = true;
        if (e.member) {
          this.view.members.set(e.member.id, String(e.member.state));
          if (e.type === 'TYPE_SUSPECT') this.view.alarms.push({ type: 'suspect', subject: e.member.id, at });
          if (e.type === 'TYPE_DEAD') {
            this.view.alarms.push({ type: 'dead', subject: e.member.id, at });
            this.view.deadAt.set(e.member.id, at);
          }
        }
        this.emit(at);
      }
    })().catch(() => undefined);
  }

  private watchWorkloads(): void {
    const signal = this.watches.signal;
    void (async () => {
      for await (const e of serverStream(this.api(), 'watchWorkloads', { includeCurrent: true }, { signal })) {
        const at = performance.now();
        if ((e.type === 'TYPE_ADDED' || e.type === 'TYPE_UPDATED' || e.type === 'TYPE_CURRENT') && !this.view.workloadsSeen.has(e.id)) this.view.workloadsSeen.set(e.id, at);
        this.emit(at);
      }
    })().catch(() => undefined);
  }

  /** Stops the watches and the client (before a kill, so no call is left hanging). Idempotent. */
  close(): void {
    this.watches.abort();
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }
}
