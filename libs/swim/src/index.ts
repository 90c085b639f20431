// Public API of @fortros/swim: the SWIM + Lifeguard core, its codec, the simulator and the UDP transport.
export * from './constants.js';
export { SwimOptionsError, SwimAddressError, SwimTransportError } from './errors.js';
export { normaliseSwimOptions, type SwimOptions, type SwimConfig } from './options.js';
export type { Member, MemberMeta, MemberState, MemberEvent, MemberEventType, SelfIncarnationEvent, SwimEvent, SwimInput, SwimOutput, SendAction, SwimStats, Random, SwimLogger } from './types.js';
export { MEMBER_STATES } from './types.js';
export { SwimNode, type SwimNodeInit } from './core/swim-node.js';
export { seededRandom } from './core/random.js';
export { suspicionBounds, suspicionTimeout } from './core/suspicion.js';
export { encode, decode, type DecodeResult } from './codec/codec.js';
export { MessageType, UpdateKind, type Message, type Update, type SyncRecord } from './codec/messages.js';
export type { MalformedReason } from './codec/wire.js';
export { Simulator, type SimulatorOptions } from './sim/simulator.js';
export type { NetworkOptions } from './sim/network.js';
export type { FalseReport } from './sim/metrics.js';
export type { Transport, PacketHandler } from './transport/transport.js';
export { UdpTransport, type UdpTransportOptions, type UdpTransportStats } from './transport/udp-transport.js';
export { parseAddress, formatAddress, type HostPort } from './transport/address.js';
export { SwimRunner, type SwimRunnerOptions, type SwimRunnerEvents, type SwimRunnerEventName } from './transport/swim-runner.js';
