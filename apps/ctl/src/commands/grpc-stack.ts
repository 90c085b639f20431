// The gRPC stack (grpc-client.ts), loaded on first use: help, --version, usage errors and completion never pay for it.
export type Rpc = Pick<typeof import('./grpc-client.js'), 'closeClient' | 'createClient' | 'RpcCallError' | 'serverStream' | 'StatusCode' | 'unary'>;
export type Proto = Pick<typeof import('./grpc-client.js'), 'InitV1' | 'KeysV1' | 'MaintainerV1' | 'ReconcilerV1'>;

let stack: Promise<typeof import('./grpc-client.js')> | undefined;
let loaded: Rpc | undefined;

function loadStack(): Promise<typeof import('./grpc-client.js')> {
  stack ??= import('./grpc-client.js').then((m) => (loaded = m));
  return stack;
}

/** @fortros/rpc's client side (grpc-js with it), imported once per process. */
export function loadRpc(): Promise<Rpc> {
  return loadStack();
}

/** @fortros/proto's service definitions, imported once per process. */
export function loadProto(): Promise<Proto> {
  return loadStack();
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
