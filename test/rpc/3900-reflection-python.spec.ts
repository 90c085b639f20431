// A gRPC client this project did not write (Debian's python3-grpcio) builds its descriptor pool from server
// reflection alone on init.sock, keys.sock, maintainer.sock and the maintainer's peer address (real daemons),
// resolves every service and method by symbol and by file name, and calls one method of every service (DESIGN §5).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cleanupAfterEach as cleanupInits, InitProcess } from '../harness/init.js';
import { keyService, KEYS_SOCKET } from '../harness/keys.js';
import { Cluster, cleanupAfterEach as cleanupClusters } from '../harness/maintainer.js';

/** Debian's interpreter: python3-grpcio and python3-protobuf install into its dist-packages (not a pyenv's). */
const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./reflection-client.py', import.meta.url));
/** How long one client run may take (ms; a few dozen reflection round trips on 2 shared cores). */
const CLIENT_TIMEOUT_MS = 90_000;

type Call = { method: string; response?: Record<string, unknown>; code?: string; details?: string };
interface Report {
  services: string[];
  v1alpha_services: string[];
  files: Record<string, string>;
  methods: Record<string, string[]>;
  maps: string[];
  calls: Record<string, Call>;
}

/** The call every server answers besides its own API: health, and reflection asked through the reflected descriptors. */
const COMMON_CALLS = {
  'grpc.health.v1.Health': ['Check', { service: '' }],
  'grpc.reflection.v1.ServerReflection': ['ServerReflectionInfo', { list_services: '*' }],
  'grpc.reflection.v1alpha.ServerReflection': ['ServerReflectionInfo', { list_services: '*' }],
};

function runClient(target: string, calls: Record<string, unknown>): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [CLIENT, target, JSON.stringify({ ...COMMON_CALLS, ...calls })], { timeout: CLIENT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${CLIENT} ${target} failed (${err.message}):\n${stderr}`));
      resolve(JSON.parse(stdout) as Report);
    });
  });
}

function pythonGrpcPresent(): Promise<boolean> {
  return new Promise((resolve) => execFile(PYTHON, ['-c', 'import grpc, google.protobuf'], (err) => resolve(!err)));
}

/** What every report must show, whatever the socket: each listed service resolved, in its real file, and called. */
function assertResolved(report: Report, own: Record<string, string>): void {
  const expected = [...Object.keys(own), ...Object.keys(COMMON_CALLS)].sort();
  assert.deepEqual([...report.services].sort(), expected);
  assert.deepEqual([...report.v1alpha_services].sort(), expected);
  assert.deepEqual(report.files, {
    ...own,
    'grpc.health.v1.Health': 'grpc/health/v1/health.proto',
    'grpc.reflection.v1.ServerReflection': 'grpc/reflection/v1/reflection.proto',
    'grpc.reflection.v1alpha.ServerReflection': 'grpc/reflection/v1alpha/reflection.proto',
  });
  for (const s of expected) assert.ok(report.methods[s]!.length > 0, `${s}: no method resolved`);
  assert.ok(report.maps.includes('grpc.health.v1.HealthListResponse.statuses'), report.maps.join(', '));
  assert.deepEqual(report.calls['grpc.health.v1.Health'], { method: 'Check', response: { status: 'SERVING' } });
  for (const v of ['v1', 'v1alpha']) {
    const listed = report.calls[`grpc.reflection.${v}.ServerReflection`]!.response!['list_services_response'] as { service: Array<{ name: string }> };
    assert.deepEqual(listed.service.map((s) => s.name).sort(), expected);
  }
}

describe('rpc: python3-grpcio resolves and calls every service from reflection alone', function () {
  this.timeout(CLIENT_TIMEOUT_MS * 2 + 120_000);
  cleanupInits();
  cleanupClusters();

  beforeEach(async function () {
    if (await pythonGrpcPresent()) return;
    const why = `${PYTHON} cannot import grpc and google.protobuf: install Debian's python3-grpcio and python3-protobuf (scripts/setup.sh does)`;
    // as root, setup.sh installs them: missing here is a failure, not a reason to skip
    if (process.getuid?.() === 0) throw new Error(why);
    this.currentTest!.title += ` [skipped: ${why}]`;
    this.skip();
  });

  it('init.sock and keys.sock: fortros.init.v1.Init (ListServices) and fortros.keys.v1.Keys (Status)', async () => {
    const init = await InitProcess.start({ 'key-service': keyService(), default: { type: 'bundle', contents: ['key-service'] } });
    const keysSock = init.path(KEYS_SOCKET);
    await init.waitForState('key-service', 'ready');

    const initReport = await runClient(`unix:${init.path('run/fortros/init.sock')}`, { 'fortros.init.v1.Init': ['ListServices', {}] });
    assertResolved(initReport, { 'fortros.init.v1.Init': 'fortros/init/v1/init.proto' });
    assert.ok(initReport.methods['fortros.init.v1.Init']!.includes('WatchEvents'));
    const listed = initReport.calls['fortros.init.v1.Init']!.response!['services'] as Array<{ name: string; state: string; since?: string }>;
    const keys = listed.find((s) => s.name === 'key-service')!;
    assert.equal(keys.state, 'SERVICE_STATE_READY');
    // a google.protobuf.Timestamp, resolved through the declared import, in its JSON form
    assert.match(keys.since!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const keysReport = await runClient(`unix:${keysSock}`, { 'fortros.keys.v1.Keys': ['Status', {}] });
    assertResolved(keysReport, { 'fortros.keys.v1.Keys': 'fortros/keys/v1/keys.proto' });
    assert.equal(keysReport.calls['fortros.keys.v1.Keys']!.response!['master_key_loaded'], true);
  });

  it('maintainer.sock (--mesh none): Maintainer (GetNode), map fields as protoc names them; its TCP address: OrgSync (Sync)', async () => {
    const cluster = await Cluster.create();
    const [node] = await cluster.startNodes(1);
    const report = await runClient(`unix:${node!.socket}`, { 'fortros.maintainer.v1.Maintainer': ['GetNode', {}] });
    assertResolved(report, { 'fortros.maintainer.v1.Maintainer': 'fortros/maintainer/v1/maintainer.proto' });
    assert.ok(report.maps.includes('fortros.maintainer.v1.Node.labels'), report.maps.join(', '));
    assert.ok(report.maps.includes('fortros.maintainer.v1.Member.labels'), report.maps.join(', '));
    const got = report.calls['fortros.maintainer.v1.Maintainer']!.response!;
    assert.equal(got['name'], 'n0');
    assert.match(String(got['id']), /^[0-9a-f]{16}$/);


    // the peer protocol's TCP endpoint serves reflection too: a hello on OrgSync.Sync is answered by the node's own
    const peer = await runClient(node!.address, { 'fortros.maintainer.v1.OrgSync': ['Sync', { from: '00000000000000aa' }] });
    assertResolved(peer, { 'fortros.maintainer.v1.OrgSync': 'fortros/maintainer/v1/maintainer.proto' });
    assert.equal(peer.calls['fortros.maintainer.v1.OrgSync']!.response!['from'], got['id']);
  });
});
