// Transport over node:dgram: one UDP socket bound to `host:port` (IPv4 or IPv6), datagrams up to MAX_PACKET_BYTES.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { MAX_PACKET_BYTES } from '../constants.js';
import { SwimTransportError } from '../errors.js';
import { formatAddress, parseAddress } from './address.js';
import type { PacketHandler, Transport } from './transport.js';

export interface UdpTransportOptions {
  /** `host:port` to bind, e.g. `127.0.0.1:7946` or `[::1]:0` (port 0: any free port). */
  bind: string;
  /** Datagrams larger than this are dropped on receipt (counted in stats.oversize). */
  maxPacketBytes?: number;
}

export interface UdpTransportStats {
  sent: number;
  received: number;
  sendErrors: number;
  oversize: number;
}

export class UdpTransport implements Transport {
  readonly stats: UdpTransportStats = { sent: 0, received: 0, sendErrors: 0, oversize: 0 };
  private socket: Socket | undefined;
  private starting: Promise<void> | undefined;
  private handler: PacketHandler = () => {};
  private bound = '';
  private readonly bind;
  private readonly maxPacketBytes: number;

  constructor(options: UdpTransportOptions) {
    this.bind = parseAddress(options.bind, 'udp transport bind');
    if (this.bind.family === 0) throw new SwimTransportError(`udp transport bind: expected an IP address, got ${JSON.stringify(options.bind)}`);
    this.maxPacketBytes = options.maxPacketBytes ?? MAX_PACKET_BYTES;
  }

  get address(): string {
    if (!this.socket) throw new SwimTransportError('udp transport: address is known only after start()');
    return this.bound;
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  start(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      const socket = createSocket({ type: this.bind.family === 6 ? 'udp6' : 'udp4', ipv6Only: this.bind.family === 6 });
      const onError = (err: Error): void => {
        socket.close();
        this.starting = undefined;
        reject(new SwimTransportError(`udp transport: cannot bind ${formatAddress(this.bind.host, this.bind.port)}: ${err.message}`));
      };
      socket.once('error', onError);
      socket.on('message', (msg, rinfo) => {
        this.stats.received++;
        if (msg.length > this.maxPacketBytes) {
          this.stats.oversize++;
          return;
        }
        this.handler(formatAddress(rinfo.address, rinfo.port), new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      });
      socket.bind(this.bind.port, this.bind.host, () => {
        socket.off('error', onError);
        socket.on('error', () => this.stats.sendErrors++);
        const a = socket.address();
        this.bound = formatAddress(a.address, a.port);
        this.socket = socket;
        resolve();
      });
    });
    return this.starting;
  }

  send(address: string, packet: Uint8Array): void {
    const socket = this.socket;
    if (!socket) return;
    let to;
    try {
      to = parseAddress(address);
    } catch {
      this.stats.sendErrors++;
      return;
    }
    this.stats.sent++;
    socket.send(packet, to.port, to.host, (err) => {
      if (err) this.stats.sendErrors++;
    });
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    if (!starting) return;
    await starting.catch(() => undefined);
    const socket = this.socket;
    this.socket = undefined;
    this.starting = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
