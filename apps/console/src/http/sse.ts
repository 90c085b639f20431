// Server-Sent Events for log follows: a bounded number of open streams, each cancelled when its browser goes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSE_KEEPALIVE_MS } from '../constants.js';

export class SseStreams {
  private open = 0;

  constructor(readonly max: number) {}

  get count(): number {
    return this.open;
  }

  /**
   * Run `feed` as one stream on `res`: `send(event, data)` writes an event, `signal` aborts when the browser leaves
   * or the console stops. False (and a 503) when `max` streams are already open.
   */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    stopping: AbortSignal,
    feed: (send: (event: string, data: unknown) => void, signal: AbortSignal) => Promise<void>,
  ): Promise<boolean> {
    if (this.open >= this.max) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' });
      res.end(`too many live streams (at most ${this.max})\n`);
      return false;
    }
    this.open++;
    const ac = new AbortController();
    const abort = (): void => ac.abort();
    req.on('close', abort);
    res.on('close', abort);
    stopping.addEventListener('abort', abort);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    const send = (event: string, data: unknown): void => {
      if (!ac.signal.aborted) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      await feed(send, ac.signal);
    } finally {
      clearInterval(keepalive);
      stopping.removeEventListener('abort', abort);
      this.open--;
      res.end();
    }
    return true;
  }
}
