// SseStreams over a real HTTP server: at most `max` streams at once (one more gets 503), and a stream's feed is
// aborted as soon as its client goes, freeing its place.
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseStreams } from '../src/http/sse.js';

function open(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject));
}

describe('console: SSE streams', () => {
  let server: Server;
  let port: number;
  const sse = new SseStreams(1);
  const stopping = new AbortController();
  const aborted: Promise<void>[] = [];

  before(async () => {
    server = createServer((req, res) => {
      void sse.serve(req, res, stopping.signal, (send, signal) => {
        send('line', { line: 'hello' });
        const done = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted.push(done);
        return done;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    stopping.abort();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves one stream, refuses a second with 503, and frees the place when the first client goes', async () => {
    const first = await open(port);
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /^text\/event-stream/);
    const firstData = await new Promise<string>((resolve) => first.once('data', (d: Buffer) => resolve(d.toString())));
    assert.match(firstData, /retry: \d+/);
    const second = await open(port);
    assert.equal(second.statusCode, 503);
    second.resume();
    assert.equal(sse.count, 1);
    first.destroy();
    await aborted[0];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sse.count, 0);
    const third = await open(port);
    assert.equal(third.statusCode, 200);
    third.destroy();
    await aborted[1];
  });
});
