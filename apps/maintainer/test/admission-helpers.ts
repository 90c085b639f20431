// Fixtures of the admission specs: an issuer on loopback TCP, a capturing TCP proxy, a raw (attacker's) client.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { createLogger, type Logger } from '@fortros/log';
import { AdmissionV1 } from '@fortros/proto';
import { bidiStream, defineService, closeClient, createClient, RpcServer, type BidiCall } from '@fortros/rpc';
import { authKeyOf } from '../src/admission/admission-crypto.js';
import { AdmissionIssuer, type AdmissionGrant, type Joiner } from '../src/admission/admission-issuer.js';
import { TokenStore } from '../src/admission/token-store.js';
import { generatePrivateKey, publicKeyOf } from '../src/node/identity.js';

/** Every encoding of `secret` a careless writer might use, then its auth key and SHA-256 (hex). */
export function secretForms(secret: Buffer): string[] {
  return [secret.toString('base64url'), secret.toString('base64'), secret.toString('hex'), authKeyOf(secret).toString('hex'), createHash('sha256').update(secret).digest('hex')];
}

export const newPublicKey = (): string => publicKeyOf(generatePrivateKey());

/** A real logger (logfmt) whose lines are kept, to search them for secrets. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 'debug', sink: { write: (line) => lines.push(line) } }), lines };
}

export interface IssuerFixture {
  store: TokenStore;
  issuer: AdmissionIssuer;
  server: RpcServer;
  address: string;
  publicKey: string;
  admitted: Joiner[];
  lines: string[];
  /** The store's clock: advance to expire tokens. */
  clock: { now: number };
  token(options?: { ttlMs?: number; uses?: number }): Promise<string>;
  stop(): Promise<void>;
}

export const GRANT_RANGE = '10.42.0.0/16';

/** An issuer for org `acme` on 127.0.0.1 (a free port), its token store under `root`. */
export async function startIssuer(root: string, stepTimeoutMs?: number): Promise<IssuerFixture> {
  const { log, lines } = capturingLogger();
  const clock = { now: Date.now() };
  const store = await TokenStore.open({ root, now: () => clock.now });
  const publicKey = newPublicKey();
  const admitted: Joiner[] = [];
  const peer = { publicKey, endpoint: '127.0.0.1:51820', overlayIp: '10.42.0.1' };
  const admit = async (j: Joiner): Promise<AdmissionGrant> => {
    admitted.push(j);
    return { overlayRange: GRANT_RANGE, overlayIp: `10.42.1.${admitted.length}`, peers: [peer] };
  };
  const issuer = new AdmissionIssuer({ store, publicKey, admit, log, now: () => clock.now, ...(stepTimeoutMs ? { stepTimeoutMs } : {}) });
  const server = issuer.server('127.0.0.1:0');
  await server.start();
  const address = server.address;
  return {
    store,
    issuer,
    server,
    address,
    publicKey,
    admitted,
    lines,
    clock,
    token: async (o = {}) => (await store.create({ orgId: 'acme', address, ...o })).token,
    stop: () => server.stop(),
  };
}

/** A TCP proxy to `target` that records every byte each way; `localAddress` picks the source address it dials from. */
export class CapturingProxy {
  readonly frames: Buffer[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  address = '';

  constructor(
    private readonly target: string,
    private readonly localAddress?: string,
  ) {
    this.server = net.createServer((client) => this.relay(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Everything that crossed the proxy, both ways. */
  captured(): Buffer {
    return Buffer.concat(this.frames);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const [host, port] = [this.target.slice(0, this.target.lastIndexOf(':')), Number(this.target.slice(this.target.lastIndexOf(':') + 1))];
    const upstream = net.connect({ host, port, ...(this.localAddress ? { localAddress: this.localAddress } : {}) });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (d: Buffer) => {
      this.frames.push(Buffer.from(d));
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      this.frames.push(Buffer.from(d));
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}

/** A raw Join stream, for playing a joiner that breaks the rules. Close it with `done()`. */
export function rawJoin(address: string): { call: BidiCall<AdmissionV1.JoinRequest, AdmissionV1.JoinResponse__Output>; done: () => void } {
  const client = createClient<AdmissionV1.AdmissionClient>(AdmissionV1.loadAdmissionApi(), address);
  const call = bidiStream(client, 'Join', { timeoutMs: 20_000 });
  return {
    call,
    done: () => {
      call.cancel();
      closeClient(client);
    },
  };
}

/** Reads a raw stream to its end: the messages, and the error it ended with (if any). */
export async function drain<T>(messages: AsyncIterable<T>): Promise<{ messages: T[]; error?: unknown }> {
  const out: T[] = [];
  try {
    for await (const m of messages) out.push(m);
    return { messages: out };
  } catch (error) {
    return { messages: out, error };
  }
}

/** A server that plays an issuer for `Admission.Join` with the given handler (a fake issuer). */
export async function startFakeIssuer(handler: (requests: AsyncIterable<AdmissionV1.JoinRequest__Output>, ctx: { send(m: AdmissionV1.JoinResponse): Promise<void> }) => Promise<void>): Promise<RpcServer> {
  const { log } = capturingLogger();
  const server = new RpcServer({ tcpAddress: '127.0.0.1:0', services: [defineService(AdmissionV1.loadAdmissionApi(), { Join: handler })], logger: log });
  await server.start();
  return server;
}
