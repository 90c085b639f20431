// SO_PEERCRED (libs/rpc) over a real unix socket: the server learns the pid of the real child process that
// connected, and attribution ties it to its parent.
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import net from 'node:net';
import { join } from 'node:path';
import { Attributor } from '../src/attribution/attributor.js';
import { ProcFs } from '@fortros/procfs';
import { peerCredentials, socketFd, type PeerCredentials } from '@fortros/rpc';
import { OwnedProcesses, readLines, tempDir } from './helpers.js';

describe('SO_PEERCRED', () => {
  const owned = new OwnedProcesses();
  let dir: { path: string; remove: () => Promise<void> };
  let server: net.Server;
  beforeEach(async () => (dir = await tempDir()));
  afterEach(async () => {
    owned.killAll();
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    await dir.remove();
  });

  it('reads the pid, uid and gid of a child process that connected', async () => {
    const path = join(dir.path, 'keys.sock');
    const accepted: Array<{ creds: PeerCredentials; startTime: number }> = [];
    const proc = new ProcFs();
    server = net.createServer((socket) => {
      // Read at accept time, as the RPC server does before handing the socket to grpc-js.
      const creds = peerCredentials(socketFd(socket))!;
      accepted.push({ creds, startTime: proc.startTime(creds.pid) });
      socket.end('ok\n');
    });
    server.listen(path);
    await once(server, 'listening');

    const client = `const s = require('node:net').connect(${JSON.stringify(path)});
      s.on('data', (d) => process.stdout.write(process.pid + ' ' + d));`;
    const child = owned.spawn(process.execPath, ['-e', client]);
    const [line] = await readLines(child, 1);
    assert.equal(line, `${child.pid} ok`);
    assert.equal(accepted.length, 1);
    const { creds, startTime } = accepted[0]!;
    assert.equal(creds.pid, child.pid);
    assert.equal(creds.uid, process.getuid!());
    assert.equal(creds.gid, process.getgid!());

    // And the kernel-reported pid attributes, by ancestry, to whoever spawned it (this test process).
    const attributor = new Attributor({ directory: { services: async () => [{ name: 'tester', pid: process.pid }] } });
    const identity = await attributor.attribute(creds.pid, { expectedStartTime: startTime });
    assert.deepEqual(identity, { kind: 'service', name: 'tester', pid: process.pid, callerPid: child.pid });
  });
});
