// fortctl's streams (logs -f, events, members --watch) when the daemon stops: a message on stderr and exit 3, not a quiet 0.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MaintainerV1 } from '@fortros/proto';
import { defineService, RpcServer, UnavailableError, type AnyHandler, type AsyncHandlers, type CallContext, type RpcServerOptions, type StreamContext } from '@fortros/rpc';
import { fixtureInitServer, sampleState } from './fixture-init-server.js';
import { buildFortctl, fortctl, startFortctl, until, type RunResult } from './run-fortctl.js';

function expectExit(r: RunResult, code: number): void {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

const silentLogger: RpcServerOptions['logger'] = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

/** A fake maintainer whose WatchMembers sends the snapshot (one member, synced) and then holds; nothing else. */
function fixtureMaintainer(socketPath: string): RpcServer {
  const api = MaintainerV1.loadMaintainerApi();
  const handlers: Record<string, AnyHandler> = {};
  for (const name of Object.keys(api.definition)) handlers[name] = async () => { throw new UnavailableError(`${name}: not in the fixture`); };
  handlers['WatchMembers'] = async (_req: unknown, ctx: StreamContext<MaintainerV1.MemberEvent>) => {
    await ctx.send({ type: 'TYPE_CURRENT', member: { id: 'n0', name: 'node-0', state: 'MEMBER_STATE_ALIVE', incarnation: 1, address: '127.0.0.1:7946' } });
    await ctx.send({ type: 'TYPE_SYNCED' });
    await new Promise<void>((resolve) => (ctx as CallContext).signal.addEventListener('abort', () => resolve(), { once: true }));
  };
  // every method is filled in above, at run time: hence the cast
  return new RpcServer({ socketPath, logger: silentLogger, services: [defineService(api, handlers as unknown as AsyncHandlers<MaintainerV1.MaintainerHandlers>)] });
}

describe('fortctl streams when the daemon stops', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    await buildFortctl();
    dir = await mkdtemp(join(tmpdir(), 'fortctl-stop-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('logs -f and events: init stopping is reported on stderr, naming the socket, with exit 3', async () => {
    const sock = join(dir, 'init.sock');
    const { server } = fixtureInitServer(sock, { ...sampleState(), watchHolds: true });
    await server.start();
    try {
      const logs = startFortctl(['--socket', sock, 'logs', '-f', 'maintainer', '--json']);
      const events = startFortctl(['--socket', sock, 'events']);
      await until(() => logs.stdout().split('\n').length > 3, 'three log lines');
      await until(() => events.stdout().split('\n').length > 3, 'three events');
      await server.stop();
      for (const [command, run] of [['logs', logs], ['events', events]] as const) {
        const r = await run.done;
        expectExit(r, 3);
        assert.equal(r.stderr, `fortctl: ${command}: fortros-init at ${sock} went away: fortros.init.v1.Init is stopping\n`);
        assert.equal(r.stdout.trimEnd().split('\n').length, 3, 'what arrived before was printed');
      }
    } finally {
      await server.stop();
    }
  });

  it('events: init ending the stream OK still exits 0 quietly', async () => {
    const sock = join(dir, 'init-ok.sock');
    const { server } = fixtureInitServer(sock);
    await server.start();
    try {
      const r = await fortctl(['--socket', sock, 'events']);
      expectExit(r, 0);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout.trimEnd().split('\n').length, 3);
    } finally {
      await server.stop();
    }
  });

  it('members --watch: the maintainer stopping is reported on stderr, naming the socket, with exit 3', async () => {
    const sock = join(dir, 'maintainer.sock');
    const server = fixtureMaintainer(sock);
    await server.start();
    try {
      const watch = startFortctl(['--socket', sock, 'members', '--watch', '--json']);
      await until(() => watch.stdout().includes('"synced"'), 'the synced event');
      await server.stop();
      const r = await watch.done;
      expectExit(r, 3);
      assert.equal(r.stderr, `fortctl: members --watch: fortros-maintainer at ${sock} went away: fortros.maintainer.v1.Maintainer is stopping\n`);
      assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { type: string }).type), ['current', 'synced']);
    } finally {
      await server.stop();
    }
  });
});
