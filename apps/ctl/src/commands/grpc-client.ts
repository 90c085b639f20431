// Exactly what fortctl uses of the gRPC stack, imported by name so a bundle keeps only these (see the repository's scripts/bundle-app.mjs).
export { closeClient, createClient, RpcCallError, serverStream, StatusCode, unary } from '@fortros/rpc';
export { InitV1, KeysV1, MaintainerV1, ReconcilerV1 } from '@fortros/proto';
