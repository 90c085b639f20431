// fortros.maintainer.v1.Admission: joining an org with a token (proto/fortros/maintainer/v1/admission.proto).
import { loadApi, type LoadedApi } from '../loader.js';
import type { AdmissionHandlers } from '../generated/fortros/maintainer/v1/Admission.js';

export const ADMISSION_PROTO = 'fortros/maintainer/v1/admission.proto';
export const ADMISSION_SERVICE = 'fortros.maintainer.v1.Admission';
export const loadAdmissionApi = (): LoadedApi<AdmissionHandlers> => loadApi<AdmissionHandlers>(ADMISSION_PROTO, ADMISSION_SERVICE);

export type { AdmissionClient, AdmissionHandlers } from '../generated/fortros/maintainer/v1/Admission.js';
export type { JoinRequest, JoinRequest__Output } from '../generated/fortros/maintainer/v1/JoinRequest.js';
export type { JoinResponse, JoinResponse__Output } from '../generated/fortros/maintainer/v1/JoinResponse.js';
export type { JoinHello, JoinHello__Output } from '../generated/fortros/maintainer/v1/JoinHello.js';
export type { JoinChallenge, JoinChallenge__Output } from '../generated/fortros/maintainer/v1/JoinChallenge.js';
export type { JoinProof, JoinProof__Output } from '../generated/fortros/maintainer/v1/JoinProof.js';
export type { JoinAnswer, JoinAnswer__Output } from '../generated/fortros/maintainer/v1/JoinAnswer.js';
export type { JoinPeer, JoinPeer__Output } from '../generated/fortros/maintainer/v1/JoinPeer.js';
export type { JoinRefusal, JoinRefusal__Output } from '../generated/fortros/maintainer/v1/JoinRefusal.js';
export { RefusalReason, type RefusalReason__Output } from '../generated/fortros/maintainer/v1/RefusalReason.js';
