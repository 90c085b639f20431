// The Transport interface the runner drives: datagrams to and from `host:port` addresses.

export type PacketHandler = (from: string, packet: Uint8Array) => void;

export interface Transport {
  /** `host:port` this transport receives on (known after start()). */
  readonly address: string;
  /** Sends one datagram; failures are counted, never thrown (gossip tolerates loss). */
  send(address: string, packet: Uint8Array): void;
  /** Sets the one handler of incoming datagrams. */
  onPacket(handler: PacketHandler): void;
  /** Binds; idempotent. */
  start(): Promise<void>;
  /** Closes; idempotent. */
  stop(): Promise<void>;
}
