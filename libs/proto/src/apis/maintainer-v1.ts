// fortros.maintainer.v1: the maintainer's local API and its peer protocol (proto/fortros/maintainer/v1/maintainer.proto).
import { loadApi, type LoadedApi } from '../loader.js';
import type { MaintainerHandlers } from '../generated/fortros/maintainer/v1/Maintainer.js';
import type { OrgSyncHandlers } from '../generated/fortros/maintainer/v1/OrgSync.js';

export const MAINTAINER_PROTO = 'fortros/maintainer/v1/maintainer.proto';
export const MAINTAINER_SERVICE = 'fortros.maintainer.v1.Maintainer';
export const ORG_SYNC_SERVICE = 'fortros.maintainer.v1.OrgSync';
export const loadMaintainerApi = (): LoadedApi<MaintainerHandlers> => loadApi<MaintainerHandlers>(MAINTAINER_PROTO, MAINTAINER_SERVICE);
export const loadOrgSyncApi = (): LoadedApi<OrgSyncHandlers> => loadApi<OrgSyncHandlers>(MAINTAINER_PROTO, ORG_SYNC_SERVICE);

export type { MaintainerClient, MaintainerHandlers } from '../generated/fortros/maintainer/v1/Maintainer.js';
export type { OrgSyncClient, OrgSyncHandlers } from '../generated/fortros/maintainer/v1/OrgSync.js';
export { MemberState, type MemberState__Output } from '../generated/fortros/maintainer/v1/MemberState.js';
export type { Node, Node__Output } from '../generated/fortros/maintainer/v1/Node.js';
export type { NodeStats, NodeStats__Output } from '../generated/fortros/maintainer/v1/NodeStats.js';
export type { Member, Member__Output } from '../generated/fortros/maintainer/v1/Member.js';
export type { ListMembersResponse, ListMembersResponse__Output } from '../generated/fortros/maintainer/v1/ListMembersResponse.js';
export type { WatchMembersRequest, WatchMembersRequest__Output } from '../generated/fortros/maintainer/v1/WatchMembersRequest.js';
export {
  _fortros_maintainer_v1_MemberEvent_Type as MemberEventType,
  type _fortros_maintainer_v1_MemberEvent_Type__Output as MemberEventType__Output,
  type MemberEvent,
  type MemberEvent__Output,
} from '../generated/fortros/maintainer/v1/MemberEvent.js';
export type { Org, Org__Output } from '../generated/fortros/maintainer/v1/Org.js';
export type { Workload, Workload__Output } from '../generated/fortros/maintainer/v1/Workload.js';
export type { PutWorkloadRequest, PutWorkloadRequest__Output } from '../generated/fortros/maintainer/v1/PutWorkloadRequest.js';
export type { GetWorkloadRequest, GetWorkloadRequest__Output } from '../generated/fortros/maintainer/v1/GetWorkloadRequest.js';
export type { ListWorkloadsResponse, ListWorkloadsResponse__Output } from '../generated/fortros/maintainer/v1/ListWorkloadsResponse.js';
export type { DeleteWorkloadRequest, DeleteWorkloadRequest__Output } from '../generated/fortros/maintainer/v1/DeleteWorkloadRequest.js';
export type { DeleteWorkloadResponse, DeleteWorkloadResponse__Output } from '../generated/fortros/maintainer/v1/DeleteWorkloadResponse.js';
export type { WatchWorkloadsRequest, WatchWorkloadsRequest__Output } from '../generated/fortros/maintainer/v1/WatchWorkloadsRequest.js';
export {
  _fortros_maintainer_v1_WorkloadEvent_Type as WorkloadEventType,
  type _fortros_maintainer_v1_WorkloadEvent_Type__Output as WorkloadEventType__Output,
  type WorkloadEvent,
  type WorkloadEvent__Output,
} from '../generated/fortros/maintainer/v1/WorkloadEvent.js';
export type { Observed, Observed__Output } from '../generated/fortros/maintainer/v1/Observed.js';
export type { ReportObservedRequest, ReportObservedRequest__Output } from '../generated/fortros/maintainer/v1/ReportObservedRequest.js';
export type { ListObservedRequest, ListObservedRequest__Output } from '../generated/fortros/maintainer/v1/ListObservedRequest.js';
export type { ListObservedResponse, ListObservedResponse__Output } from '../generated/fortros/maintainer/v1/ListObservedResponse.js';
export type { SyncMessage, SyncMessage__Output } from '../generated/fortros/maintainer/v1/SyncMessage.js';
export type { CreateTokenRequest, CreateTokenRequest__Output } from '../generated/fortros/maintainer/v1/CreateTokenRequest.js';
export type { CreateTokenResponse, CreateTokenResponse__Output } from '../generated/fortros/maintainer/v1/CreateTokenResponse.js';
