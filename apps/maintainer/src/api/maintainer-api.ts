// The local API (fortros.maintainer.v1.Maintainer): plain async handlers over the org document, the node and its members.
import { defineService, type AsyncHandlers, type ServiceRegistration, type StreamContext } from '@fortros/rpc';
import { MaintainerV1 } from '@fortros/proto';
import { ORG_JSON_MAX_BYTES } from '../constants.js';
import { ForeignObservedError, MeshUnavailableError, ResponseLimitError, WorkloadNotFoundError } from '../errors.js';
import type { OrgDocument, OrgEvents } from '../org/org-doc.js';
import { MEMBER_EVENT_TYPE, parseJsonField, toMember, toNode, toObserved, toWorkload } from './convert.js';
import type { MemberChange, MemberSource, NodeSource } from './sources.js';
import type { MemberView } from '../membership/member-view.js';
import { observedAsListed } from './observed-view.js';
import { WatchQueue, WatcherSlots } from './watch-queue.js';

export interface MaintainerApiComponents {
  org: OrgDocument;
  node: NodeSource;
  members: MemberSource;
  /** This node's id (observed statuses are reported for it). */
  selfId: string;
  /** Join tokens (the mesh); absent with --mesh none. */
  tokens?: TokenIssuer;
}

export interface TokenIssuer {
  createToken(ttlMs: number | undefined, uses: number | undefined): Promise<{ token: string; tokenId: string; expiresAtMs: number }>;
}


export function maintainerService(c: MaintainerApiComponents): ServiceRegistration {
  const memberWatchers = new WatcherSlots('WatchMembers');
  const workloadWatchers = new WatcherSlots('WatchWorkloads');

  const handlers: AsyncHandlers<MaintainerV1.MaintainerHandlers> = {
    GetNode: async (): Promise<MaintainerV1.Node> => toNode(c.node.nodeInfo()),

    ListMembers: async (): Promise<MaintainerV1.ListMembersResponse> => ({ members: c.members.listMembers().map(toMember) }),

    WatchMembers: async (req: MaintainerV1.WatchMembersRequest__Output, ctx: StreamContext<MaintainerV1.MemberEvent>): Promise<void> => {
      const release = memberWatchers.acquire();
      const queue = new WatchQueue<{ change: MemberChange; member: MemberView }>();
      const off = c.members.onMemberChange((change, member) => queue.push({ change, member }));
      try {
        if (req.includeCurrent) {
          for (const m of c.members.listMembers()) await ctx.send({ type: 'TYPE_CURRENT', member: toMember(m) });
          await ctx.send({ type: 'TYPE_SYNCED' });
        }
        for await (const e of queue.drain(ctx.signal)) await ctx.send({ type: MEMBER_EVENT_TYPE[e.change], member: toMember(e.member) });
      } finally {
        off();
        release();
      }
    },

    GetOrg: async (): Promise<MaintainerV1.Org> => {
      const json = JSON.stringify(c.org.toJSON());
      if (Buffer.byteLength(json) > ORG_JSON_MAX_BYTES) throw new ResponseLimitError(`org document: ${Buffer.byteLength(json)} bytes of JSON, more than ${ORG_JSON_MAX_BYTES}`);
      return { json };
    },

    PutWorkload: async (req: MaintainerV1.PutWorkloadRequest__Output): Promise<MaintainerV1.Workload> =>
      toWorkload(await c.org.putWorkload(parseJsonField(req.specJson, 'spec_json'))),

    GetWorkload: async (req: MaintainerV1.GetWorkloadRequest__Output): Promise<MaintainerV1.Workload> => {
      const spec = c.org.getWorkload(req.id);
      if (!spec) throw new WorkloadNotFoundError(req.id);
      return toWorkload(spec);
    },

    ListWorkloads: async (): Promise<MaintainerV1.ListWorkloadsResponse> => ({ workloads: c.org.listWorkloads().map(toWorkload) }),

    DeleteWorkload: async (req: MaintainerV1.DeleteWorkloadRequest__Output): Promise<MaintainerV1.DeleteWorkloadResponse> => {
      if (!(await c.org.deleteWorkload(req.id))) throw new WorkloadNotFoundError(req.id);
      return { id: req.id };
    },

    WatchWorkloads: async (req: MaintainerV1.WatchWorkloadsRequest__Output, ctx: StreamContext<MaintainerV1.WorkloadEvent>): Promise<void> => {
      const release = workloadWatchers.acquire();
      const queue = new WatchQueue<OrgEvents['workload:changed']>();
      const off = c.org.on('workload:changed', (e) => queue.push(e));
      try {
        if (req.includeCurrent) {
          for (const w of c.org.listWorkloads()) await ctx.send({ type: 'TYPE_CURRENT', ...toWorkload(w) });
          await ctx.send({ type: 'TYPE_SYNCED' });
        }
        for await (const e of queue.drain(ctx.signal)) {
          const type = e.action === 'add' ? 'TYPE_ADDED' : e.action === 'update' ? 'TYPE_UPDATED' : 'TYPE_DELETED';
          await ctx.send({ type, id: e.id, specJson: e.spec ? JSON.stringify(e.spec) : '', local: e.local });
        }
      } finally {
        off();
        release();
      }
    },

    ReportObserved: async (req: MaintainerV1.ReportObservedRequest__Output): Promise<MaintainerV1.Observed> => {
      const input = parseJsonField(req.statusJson, 'status_json');
      if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
        const o = input as Record<string, unknown>;
        if (o.node === undefined) o.node = c.selfId;
        else if (o.node !== c.selfId) throw new ForeignObservedError(String(o.node), c.selfId);
      }
      return toObserved(await c.org.putObserved(input));
    },

    ListObserved: async (req: MaintainerV1.ListObservedRequest__Output): Promise<MaintainerV1.ListObservedResponse> => {
      const filter: { node?: string; workload?: string } = {};
      if (req.node) filter.node = req.node;
      if (req.workload) filter.workload = req.workload;
      const members = new Map(c.members.listMembers().map((m) => [m.id, m]));
      return { statuses: c.org.listObserved(filter).map((s) => toObserved(observedAsListed(s, members, c.selfId))) };
    },

    CreateToken: async (req: MaintainerV1.CreateTokenRequest__Output): Promise<MaintainerV1.CreateTokenResponse> => {
      if (!c.tokens) throw new MeshUnavailableError('token create', 'this node runs with --mesh none (no admission endpoint)');
      const t = await c.tokens.createToken(req.ttlMs || undefined, req.uses || undefined);
      return { token: t.token, tokenId: t.tokenId, expiresAt: new Date(t.expiresAtMs).toISOString() };
    },
  };
  return defineService(MaintainerV1.loadMaintainerApi(), handlers);
}
