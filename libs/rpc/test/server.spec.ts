import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bidiStream, checkHealth, createClient, peerCredentials, socketFd, listServicesByReflection, type RpcCallError, serverStream, SocketInUseError, StatusCode, unary, INTERNAL_MESSAGE } from '../src/index.js';
import { echoApi, echoServer } from './fixtures/echo-server.js';
import { rejectsWith, startEcho, stopEcho, until, type EchoClient, type EchoEnv } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('rpc server on a unix socket', () => {
  let dir: string, sock: string, fixture: EchoEnv['fixture'], client: EchoClient;
  beforeEach(async () => void ({ dir, sock, fixture, client } = await startEcho('run/echo.sock')));
  afterEach(() => stopEcho({ dir, sock, fixture, client }));

  it('creates the socket with mode 0600 and answers unary calls', async () => {
    assert.equal((await stat(sock)).mode & 0o777, 0o600);
    assert.deepEqual(await unary(client, 'Say', { text: 'hi', n: 3 }), { text: 'hi', n: 3 });
  });

  it('registers grpc.health.v1 (SERVING, NOT_SERVING on request) and server reflection', async () => {
    assert.equal(await checkHealth(sock), 'SERVING');
    assert.equal(await checkHealth(sock, 'fortros.test.v1.Echo'), 'SERVING');
    fixture.server.setServing('fortros.test.v1.Echo', false);
    assert.equal(await checkHealth(sock, 'fortros.test.v1.Echo'), 'NOT_SERVING');
    const services = await listServicesByReflection(sock);
    assert.ok(services.includes('fortros.test.v1.Echo'), services.join(','));
    assert.ok(services.includes('grpc.health.v1.Health'), services.join(','));
  });

  it('maps known errors to their code and hides unknown ones behind INTERNAL, logging them', async () => {
    await rejectsWith(unary(client, 'Fail', { text: 'invalid' }), StatusCode.INVALID_ARGUMENT, /text: expected/);
    await rejectsWith(unary(client, 'Fail', { text: 'missing' }), StatusCode.NOT_FOUND, /"x" not found/);
    await assert.rejects(unary(client, 'Fail', { text: 'boom' }), (err: RpcCallError) => {
      assert.equal(err.code, StatusCode.INTERNAL);
      assert.equal(err.details, INTERNAL_MESSAGE);
      assert.ok(!err.details.includes('shadow'));
      return true;
    });
    assert.ok(fixture.state.logs.some((l) => l.includes('handler failed') && l.includes('/fortros.test.v1.Echo/Fail')));
  });

  it('aborts the handler signal when the client cancels, and when the deadline passes', async () => {
    const ac = new AbortController();
    const p = unary(client, 'Hang', { text: 'cancel' }, { signal: ac.signal, timeoutMs: 0 });
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(p, StatusCode.CANCELLED);
    await until(() => fixture.state.aborted.includes('hang:cancel'));
    await rejectsWith(unary(client, 'Hang', { text: 'deadline' }, { timeoutMs: 100 }), StatusCode.DEADLINE_EXCEEDED);
    await until(() => fixture.state.aborted.includes('hang:deadline'));
  });

  it('aborts the handler signal once a call is over, so cleanup registered on it runs', async () => {
    assert.deepEqual(await unary(client, 'Say', { text: 'done', n: 1 }), { text: 'done', n: 1 });
    await until(() => fixture.state.aborted.includes('say:done'));
  });

  it('streams server messages with backpressure, and bidi messages both ways', async () => {
    const got: number[] = [];
    for await (const m of serverStream(client, 'Count', { text: 'x'.repeat(1000), n: 2000 })) got.push(Number(m.n));
    assert.equal(got.length, 2000);
    assert.equal(got[1999], 1999);
    const chat = bidiStream(client, 'Chat');
    await chat.send({ text: 'a', n: 1 });
    await chat.send({ text: 'b', n: 2 });
    chat.end();
    const replies: string[] = [];
    for await (const m of chat.messages) replies.push(m.text);
    assert.deepEqual(replies, ['A', 'B']);
  });

  it('gives each call the kernel-attested pid of the calling process', async () => {
    const mine = await unary(client, 'Whoami', {});
    assert.equal(Number(mine.n), process.pid);
    const childScript = fileURLToPath(new URL('./fixtures/whoami-client.ts', import.meta.url));
    const child = execFile(process.execPath, ['--import', 'tsx', childScript, sock]);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    assert.equal(Number(out.trim()), child.pid);
  });

  it('refuses a socket path held by a live server, and replaces a stale one', async () => {
    const second = echoServer({ socketPath: sock });
    await assert.rejects(second.server.start(), SocketInUseError);
    await fixture.server.stop();
    // A stale socket: bound then abandoned without unlink.
    const stale = net.createServer();
    await new Promise<void>((r) => stale.listen(sock, r));
    await new Promise<void>((r) => { (stale as any)._handle.close(); r(); });
    const third = echoServer({ socketPath: sock });
    await third.server.start();
    const c = createClient<EchoClient>(echoApi(), sock);
    assert.deepEqual(await unary(c, 'Say', { text: 'again', n: 1 }), { text: 'again', n: 1 });
    c.close();
    await third.server.stop();
  });

  it('refuses to remove a path that is not a socket', async () => {
    const path = join(dir, 'not-a-socket');
    await writeFile(path, 'data');
    await assert.rejects(echoServer({ socketPath: path }).server.start(), /not a socket/);
  });
});

describe('peer credentials', () => {
  it('are absent for what is not a connected unix socket', async () => {
    assert.equal(peerCredentials(-1), undefined);
    // Not fd 0: under a test runner stdin may well be a socket. A regular file's fd never is.
    const fd = openSync('/dev/null', 'r');
    try {
      assert.equal(peerCredentials(fd), undefined);
    } finally {
      closeSync(fd);
    }
    assert.equal(socketFd(new net.Socket()), -1);
  });
});

describe('rpc server on TCP', () => {
  it('binds an ephemeral loopback port and serves', async () => {
    const { server } = echoServer({ tcpAddress: '127.0.0.1:0' });
    await server.start();
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
    assert.ok(!server.address.endsWith(':0'));
    const c = createClient<EchoClient>(echoApi(), server.address);
    assert.deepEqual(await unary(c, 'Say', { text: 'tcp', n: 0 }), { text: 'tcp', n: 0 });
    c.close();
    await server.stop();
  });
});
