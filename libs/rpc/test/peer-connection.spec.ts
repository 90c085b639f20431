// Accept-time identity: each unix-socket connection holds a pidfd of the process that connected (closed with the
// connection), tells whether that process still runs, and obeys a ConnectionPolicy (refusal at accept, idle timeout).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { processStartTime } from '@fortros/procfs';
import { PeerConnection, pidfdExited, pidfdOfStartTime, StatusCode, targetFor, unary, type ConnectionPolicy } from '../src/index.js';
import { echoApi, echoServer } from './fixtures/echo-server.js';
import { rejectsWith, until, type EchoClient } from './helpers.js';

/** pidfds this process holds now. */
function pidfds(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (/pidfd/.test(readlinkSync(`/proc/self/fd/${fd}`))) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

/** A client on a connection of its own (grpc-js otherwise shares one connection among clients of one target). */
function ownClient(sock: string): EchoClient {
  return new (echoApi().Client)(targetFor(sock), grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }) as unknown as EchoClient;
}

/** A perl process that connects to `path` from a forked child which then exits (reaped), and holds the socket. */
function handOnConnection(path: string): { child: ReturnType<typeof spawn>; connectorPid: Promise<number> } {
  const script = [
    'use Socket; use POSIX;',
    'socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!";',
    'my $pid = fork() // die "fork: $!";',
    'if ($pid == 0) { connect($s, pack_sockaddr_un($ARGV[0])) or POSIX::_exit(1); POSIX::_exit(0); }',
    'waitpid($pid, 0); $| = 1; print "$pid\\n"; <STDIN>;',
  ].join(' ');
  const child = spawn('perl', ['-e', script, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connectorPid = new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { child, connectorPid };
}

describe('peer connections', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'fortros-rpc-peer-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('binds a connection to the process that connected: alive while it runs, exited once it is gone', async () => {
    const path = join(dir, 'plain.sock');
    const accepted: PeerConnection[] = [];
    const server = net.createServer((socket) => accepted.push(new PeerConnection(accepted.length + 1, socket)));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const { child, connectorPid } = handOnConnection(path);
    try {
      const pid = await connectorPid;
      await until(() => accepted.length === 1);
      const conn = accepted[0]!;
      assert.equal(conn.credentials?.pid, pid, 'SO_PEERCRED names the forked child that called connect');
      assert.notEqual(pid, child.pid);
      assert.equal(conn.processState(), 'exited', 'the child exited; its parent still holds the socket');
      assert.ok(conn.pidfdNumber !== undefined);
      conn.release();
      assert.equal(conn.processState(), 'unbound');
      const self = net.connect(path);
      await until(() => accepted.length === 2);
      assert.equal(accepted[1]!.credentials?.pid, process.pid);
      assert.equal(accepted[1]!.processState(), 'alive');
      assert.equal(accepted[1]!.binding, 'peer-pidfd', 'this kernel has SO_PEERPIDFD');
      accepted[1]!.release();
      self.destroy();
    } finally {
      child.kill();
      server.close();
    }
  });

  it('without SO_PEERPIDFD: pidfd_open kept only when the start time matches around it', async () => {
    const start = processStartTime(process.pid)!;
    const pidfd = pidfdOfStartTime(process.pid, start);
    assert.ok(pidfd !== undefined);
    assert.equal(pidfdExited(pidfd), false);
    closeSync(pidfd);
    assert.equal(pidfdOfStartTime(process.pid, start + 1), undefined, 'another start time: another process, refused');
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(pidfdOfStartTime(child.pid!, start), undefined, 'a process that is gone has no pidfd');
  });

  it('reports the live caller in ctx.peer.connection and closes every pidfd with its connection', async () => {
    const sock = join(dir, 'echo.sock');
    const fixture = echoServer({ socketPath: sock });
    await fixture.server.start();
    const before = pidfds();
    const clients = Array.from({ length: 20 }, () => ownClient(sock));
    try {
      for (const c of clients) {
        const res = await unary(c, 'Whoami', {});
        const peer = JSON.parse(res.text) as { pid: number; connection?: { process: string } };
        assert.equal(peer.pid, process.pid);
        assert.equal(peer.connection?.process, 'alive');
      }
      assert.equal(pidfds(), before + 20, 'one pidfd per open connection');
    } finally {
      for (const c of clients) c.close();
    }
    await until(() => pidfds() === before, 10_000);
    await fixture.server.stop();
  });

  it('closes a connection the policy refuses at accept, and one idle for longer than the timeout', async () => {
    const sock = join(dir, 'gated.sock');
    const closed: string[] = [];
    let admitted = 0;
    const policy: ConnectionPolicy = {
      admit: () => (admitted < 1 ? (admitted++, undefined) : 'one connection only'),
      closed: (c) => void closed.push(c.closeReason),
      idleTimeoutMs: 300,
    };
    const fixture = echoServer({ socketPath: sock, connections: policy });
    await fixture.server.start();
    const first = ownClient(sock);
    const second = ownClient(sock);
    try {
      assert.equal((await unary(first, 'Say', { text: 'a', n: 1 })).text, 'a');
      await rejectsWith(unary(second, 'Say', { text: 'b', n: 1 }, { timeoutMs: 5_000 }), StatusCode.UNAVAILABLE);
      await until(() => closed.length === 1, 10_000);
      assert.deepEqual(closed, ['idle'], 'the admitted connection was closed for idleness; the refused one never admitted');
      admitted = 0;
      assert.equal((await unary(first, 'Say', { text: 'again', n: 1 })).text, 'again', 'a client reconnects after an idle close');
    } finally {
      first.close();
      second.close();
      await fixture.server.stop();
    }
  });
});
