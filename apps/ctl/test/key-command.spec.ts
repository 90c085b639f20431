// fortctl key derive, built and run as a child process against a stand-in Keys server (fixture: the thing under
// test is the client; test/keys/ drives the real fortros-keys under fortros-init): output formats and exit codes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeysV1 } from '@fortros/proto';
import { defineService, InvalidArgumentError, PermissionDeniedError, RpcServer, UnauthenticatedError, UnavailableError, type RpcServerOptions } from '@fortros/rpc';
import { buildFortctl, fortctl, type RunResult } from './run-fortctl.js';

const silent: RpcServerOptions['logger'] = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

function expectExit(r: RunResult, code: number): void {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe('fortctl key derive (fixture Keys server)', function () {
  this.timeout(60_000);
  let dir: string;
  let sock: string;
  let server: RpcServer;
  const requests: KeysV1.DeriveKeyRequest__Output[] = [];

  before(async () => {
    await buildFortctl();
    dir = await mkdtemp(join(tmpdir(), 'fortctl-key-'));
    sock = join(dir, 'run', 'fortros', 'keys.sock');
    server = new RpcServer({
      socketPath: sock,
      logger: silent,
      services: [
        defineService(KeysV1.loadKeysApi(), {
            DeriveKey: async (req: KeysV1.DeriveKeyRequest__Output) => {
              requests.push(req);
              if (req.purpose === 'nobody') throw new UnauthenticatedError('process 1 does not descend from a service supervised by init');
              if (req.purpose === 'denied') throw new PermissionDeniedError('service web may not derive purpose "denied"');
              if (req.purpose === 'nokey') throw new UnavailableError('the key service has no usable master key');
              if (req.purpose === 'bad') throw new InvalidArgumentError('purpose: bad');
              const key = Buffer.alloc(req.length || 32);
              KEY.copy(key);
              return { key, version: req.version || 1, keyId: '0123456789abcdef', length: key.length, service: 'web' };
            },
            DeriveKeys: async () => {}, // fortctl derives one key at a time: the stream is never opened
            ListPurposes: async () => ({ purposes: [], anyPurpose: true }),
            Status: async () => ({}),
        }),
      ],
    });
    await server.start();
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the key in hex (default), base64 or raw bytes, asking for the given length and version', async () => {
    const hex = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'tls']);
    expectExit(hex, 0);
    assert.equal(hex.stdout, `${KEY.toString('hex')}\n`);
    assert.deepEqual(requests.at(-1), { purpose: 'tls', length: 32, version: 1 });
    const b64 = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'tls', '--format', 'base64', '--length', '16', '--version', '9']);
    expectExit(b64, 0);
    assert.equal(b64.stdout, `${KEY.subarray(0, 16).toString('base64')}\n`);
    assert.deepEqual(requests.at(-1), { purpose: 'tls', length: 16, version: 9 });
    const raw = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'tls', '--format', 'raw']);
    expectExit(raw, 0);
    assert.equal(Buffer.from(raw.stdout, 'latin1').length, raw.stdout.length);
    assert.equal(raw.stdout.length, 32, 'raw: exactly the key bytes, no newline');
  });

  it('--json: service, purpose, version, length, keyId and the key in hex', async () => {
    const r = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'tls', '--json']);
    expectExit(r, 0);
    assert.deepEqual(JSON.parse(r.stdout), { service: 'web', purpose: 'tls', version: 1, length: 32, keyId: '0123456789abcdef', key: KEY.toString('hex') });
  });

  it('exits 1 on UNAUTHENTICATED and PERMISSION_DENIED, 3 on UNAVAILABLE, 2 on INVALID_ARGUMENT', async () => {
    const nobody = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'nobody']);
    expectExit(nobody, 1);
    assert.match(nobody.stderr, /^fortctl: key: .*supervised by init \(UNAUTHENTICATED\)\n$/);
    assert.equal(nobody.stdout, '');
    const denied = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'denied']);
    expectExit(denied, 1);
    assert.match(denied.stderr, /PERMISSION_DENIED/);
    const nokey = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'nokey']);
    expectExit(nokey, 3);
    assert.match(nokey.stderr, /fortros-keys at .*keys\.sock is unavailable: the key service has no usable master key/);
    const bad = await fortctl(['--socket', sock, 'key', 'derive', '--purpose', 'bad']);
    expectExit(bad, 2);
  });

  it('finds keys.sock under --root, and exits 3 naming it when nothing is there', async () => {
    expectExit(await fortctl(['--root', dir, 'key', 'derive', '--purpose', 'tls']), 0);
    const missing = await fortctl(['--root', join(dir, 'nowhere'), 'key', 'derive', '--purpose', 'tls']);
    expectExit(missing, 3);
    assert.match(missing.stderr, /cannot reach fortros-keys: .*nowhere\/run\/fortros\/keys\.sock does not exist/);
  });

  for (const [args, pattern] of [
    [['key'], /missing derive/],
    [['key', 'rotate'], /unknown subcommand "rotate"; expected derive/],
    [['key', 'derive'], /missing --purpose/],
    [['key', 'derive', '--purpose', 'TLS'], /--purpose: expected a name matching/],
    [['key', 'derive', '--purpose', 'tls', '--length', '8'], /--length: expected an integer 16-64, got "8"/],
    [['key', 'derive', '--purpose', 'tls', '--version', '0'], /--version: expected an integer 1-4294967295/],
    [['key', 'derive', '--purpose', 'tls', '--format', 'pem'], /--format: expected one of hex, base64, raw/],
    [['key', 'derive', '--purpose', 'tls', '--format', 'raw', '--json'], /--json prints the key in hex/],
  ] as const) {
    it(`usage error (exit 2): fortctl ${args.join(' ')}`, async () => {
      const r = await fortctl(['--socket', sock, ...args]);
      expectExit(r, 2);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /Usage: fortctl key derive/);
    });
  }

  it('key --help documents derive and its flags', async () => {
    const r = await fortctl(['key', '--help']);
    expectExit(r, 0);
    for (const s of ['fortctl key derive', '--purpose P', '--length L', '--version V', '--format F', 'UNAUTHENTICATED']) assert.ok(r.stdout.includes(s), s);
  });
});
