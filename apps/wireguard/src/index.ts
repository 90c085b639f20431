// fortros-wireguard's parts, for tests: key file, lifecycle, options.
export { loadOrCreatePrivateKey, readPrivateKey, type LoadedKey } from './key-file.js';
export { exitCodeOf, ImpossibleTransitionError, MESH_EVENTS, MESH_STATES, step, type MeshEvent, type MeshState } from './service/lifecycle.js';
export { parseCommandLine, USAGE, type WireguardOptions } from './options.js';
export * from './errors.js';
