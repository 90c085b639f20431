// @fortros/rpc: gRPC servers on unix sockets with health and reflection, async handlers, one error map, clients.
export * from './errors.js';
export * from './constants.js';
export { RpcServer, defineService, type RpcServerOptions, type ServiceRegistration } from './server.js';
export type { CallContext, StreamContext, UnaryHandler, ServerStreamHandler, ClientStreamHandler, BidiStreamHandler, AsyncHandlers, AnyHandler } from './handlers.js';
export { createClient, closeClient, unary, serverStream, bidiStream, targetFor, type CallOptions, type BidiCall } from './client.js';
export { checkHealth } from './health-client.js';
export { peerCredentials, peerPidfd, pidfdExited, pidfdOpen, socketFd, type PeerCredentials } from './peer-cred.js';
export { PeerConnection, pidfdOfStartTime, type ConnectionPolicy, type ConnectionCloseReason, type PeerBinding, type PeerProcessState } from './peer-connection.js';
export { INTERNAL_MESSAGE } from './status-map.js';
export { CALL_OVER, SERVER_STOPPING } from './abort-reasons.js';
export { listServicesByReflection } from './reflection-client.js';
export type { DescriptorSource } from './reflection-server.js';
