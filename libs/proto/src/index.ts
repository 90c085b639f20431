// @fortros/proto: the .proto loader, the compiled descriptor set, generated wire types per API, Timestamp helpers.
export { PROTO_ROOT, PROTO_JSON_ROOT, LOADER_OPTIONS, loadApi, apiOf, type LoadedApi } from './loader.js';
export { DESCRIPTOR_SET_PATH, descriptorSet } from './descriptors.js';
export { DescriptorSetMissingError, ProtoJsonMissingError, UnknownServiceError } from './errors.js';
export { toTimestamp, fromTimestamp, type TimestampLike } from './timestamp.js';
export * as InitV1 from './apis/init-v1.js';
export * as KeysV1 from './apis/keys-v1.js';
export * as MaintainerV1 from './apis/maintainer-v1.js';
export * as AdmissionV1 from './apis/admission-v1.js';
export * as ReconcilerV1 from './apis/reconciler-v1.js';
