// The console's HTTP server, a Startable: the credential and Host checks, static script, pages, JSON and SSE log
// follows; ready once listening and fortros-init answers.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { formatHostPort, type HostPort } from '@fortros/core';
import type { Startable } from '@fortros/daemon';
import type { Logger } from '@fortros/log';
import { INIT_PROBE_INTERVAL_MS, MAX_HTTP_CONNECTIONS, MAX_SSE_CLIENTS, MAX_URL_CHARS } from '../constants.js';
import { DaemonDownError } from '../errors.js';
import type { NodeReader } from '../daemons/node-reader.js';
import { Routes, type Reply } from '../pages/routes.js';
import { authorized } from './auth.js';
import { isLoopbackHost } from '../options.js';
import { SseStreams } from './sse.js';

const SCRIPT_URL = new URL('../../static/console.js', import.meta.url);

const CONTENT_TYPES: Record<Reply['type'], string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface ConsoleServerOptions {
  listen: HostPort;
  /** The credential every request must carry; undefined: none asked (loopback). */
  token: () => string | undefined;
}

export class ConsoleServer implements Startable {
  readonly name = 'console:http';
  readonly ready: Promise<void>;
  private readonly server: Server;
  private readonly routes: Routes;
  private readonly sse = new SseStreams(MAX_SSE_CLIENTS);
  private readonly stopping = new AbortController();
  private script: string | undefined;
  private markReady!: () => void;

  constructor(
    private readonly options: ConsoleServerOptions,
    private readonly node: NodeReader,
    private readonly log: Logger,
  ) {
    this.routes = new Routes(node);
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.maxConnections = MAX_HTTP_CONNECTIONS;
  }

  /** Where it listens (the real port when --listen gave 0). */
  address(): HostPort {
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  async start(): Promise<void> {
    this.script = await readFile(SCRIPT_URL, 'utf8');
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.listen.port, this.options.listen.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.log.info('listening', { url: `http://${formatHostPort(this.address())}/`, credential: this.options.token() ? 'required' : 'none (loopback)' });
    void this.waitForInit();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.node.close();
  }

  /** Ready once fortros-init answers a call (asked again every INIT_PROBE_INTERVAL_MS until stopped). */
  private async waitForInit(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.node.services();
        this.markReady();
        return;
      } catch (err) {
        if (!(err instanceof DaemonDownError)) this.log.warn('init probe failed', { err });
        await delay(INIT_PROBE_INTERVAL_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      const refusal = this.refusal(req);
      if (refusal) return send(res, refusal.status, 'text', refusal.body, refusal.headers);
      const url = new URL(req.url!, 'http://console');
      if (url.pathname === '/console.js') return send(res, 200, 'text', this.script!, { 'Content-Type': 'text/javascript; charset=utf-8' });
      if (url.pathname === '/sse/logs') return void (await this.followLogs(req, res, url.searchParams));
      const reply = await this.routes.get(url.pathname, url.searchParams);
      if (!reply) return send(res, 404, 'text', `no page ${url.pathname}\n`);
      send(res, reply.status, reply.type, reply.body);
    } catch (err) {
      this.log.error('request failed', { url: req.url, err });
      if (!res.headersSent) send(res, 500, 'text', 'internal error (see the console’s log)\n');
      else res.end();
    }
  }

  /** Why `req` is refused (method, URL length, Host, credential), or undefined. */
  private refusal(req: IncomingMessage): { status: number; body: string; headers?: Record<string, string> } | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: 'only GET\n', headers: { Allow: 'GET, HEAD' } };
    if (!req.url || req.url.length > MAX_URL_CHARS) return { status: 414, body: `URL longer than ${MAX_URL_CHARS} characters\n` };
    const token = this.options.token();
    if (token === undefined) {
      // loopback without an account: only pages asked for by a loopback name, so another site cannot rebind its name to us
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!isLoopbackHost(host)) return { status: 421, body: `Host ${host || '(none)'} is not a loopback name\n` };
      return undefined;
    }
    if (!authorized(req.headers.authorization, token)) {
      return { status: 401, body: 'a credential is required (see --token-file)\n', headers: { 'WWW-Authenticate': 'Basic realm="fortros-console", charset="UTF-8"' } };
    }
    return undefined;
  }

  private async followLogs(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const service = query.get('service');
    if (!service) return send(res, 400, 'text', 'expected ?service=NAME\n');
    await this.sse.serve(req, res, this.stopping.signal, async (emit, signal) => {
      try {
        for await (const line of this.node.logs(service, true, signal)) emit('line', line);
        emit('end', { reason: 'the log stream ended' });
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof DaemonDownError) emit('down', { daemon: err.daemon, message: err.message });
        else emit('end', { reason: err instanceof Error ? err.message : String(err) });
      }
    });
  }
}

function send(res: ServerResponse, status: number, type: Reply['type'], body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': CONTENT_TYPES[type], ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
