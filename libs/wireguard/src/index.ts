// libs/wireguard: WireGuard interfaces driven through wg, ip and wireguard-go (execa), typed.
export * from './constants.js';
export * from './errors.js';
export { generateKeyPair, generatePrivateKey, publicKeyOf, type KeyPair } from './keys.js';
export { parseDump, type InterfaceState, type PeerState } from './dump.js';
export { canonicalCidr, checkDesiredPeers, opArgs, planPeerDiff, type DesiredPeer, type PeerOp } from './peer-diff.js';
export { UserspaceProcess, userspaceSocketPath, type UserspaceExit } from './userspace.js';
export { WireguardInterface, type Backend, type BackendChoice, type CreateOptions, type InterfaceOptions } from './wireguard-interface.js';
export { checkCidr, checkEndpoint, checkInterfaceName, checkKey, checkMtu, checkNetns, checkPort, isKey } from './validate.js';
export { inNetns, runCommand, withSecretFile, type CommandSpec } from './exec.js';
