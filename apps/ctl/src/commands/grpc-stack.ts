// The gRPC stack (@fortros/rpc, @fortros/proto), loaded on first use: help, --version, usage errors and completion never pay for it.
export type Rpc = typeof import('@fortros/rpc');
export type Proto = typeof import('@fortros/proto');

let rpc: Promise<Rpc> | undefined;
let proto: Promise<Proto> | undefined;
let loaded: Rpc | undefined;

/** @fortros/rpc (grpc-js with it), imported once per process. */
export function loadRpc(): Promise<Rpc> {
  rpc ??= import('@fortros/rpc').then((m) => (loaded = m));
  return rpc;
}

/** @fortros/proto (the service definitions), imported once per process. */
export function loadProto(): Promise<Proto> {
  proto ??= import('@fortros/proto');
  return proto;
}

/** @fortros/rpc if a command already loaded it, else undefined (an error thrown before any call needs no gRPC to explain). */
export function loadedRpc(): Rpc | undefined {
  return loaded;
}

/** @fortros/rpc's `unary`, loading the stack first. */
export const unary: Rpc['unary'] = async (client, method, request, options) => (await loadRpc()).unary(client, method, request, options);

/** @fortros/rpc's `serverStream`, loading the stack first (the call starts when iterated). */
export const serverStream: Rpc['serverStream'] = async function* (client, method, request, options) {
  yield* (await loadRpc()).serverStream(client, method, request, options);
};
