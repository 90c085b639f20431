// Server reflection answers from the descriptor sets buf compiled: real file names, declared imports, protoc's map
// entries, the bytes as compiled, over v1 and v1alpha, and lookups that fail answered in-band.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger } from '@fortros/log';
import { descriptorSet, InitV1, KeysV1, MaintainerV1, type LoadedApi } from '@fortros/proto';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { defineService, DescriptorSetError, RpcServer, StatusCode, type AnyHandler, type AsyncHandlers, type ServiceRegistration } from '../src/index.js';
import { DescriptorIndex, splitFileDescriptorSet } from '../src/descriptor-index.js';
import { loadReflectionApi, REFLECTION_SERVICES, type ReflectionRequest, type ReflectionResponse } from '../src/reflection-server.js';
import { echoApi, echoDescriptors } from './fixtures/echo-server.js';

const silent = createLogger({ sink: { write: () => undefined } });
const notImplemented: AnyHandler = async () => {
  throw new Error('not under test');
};
/** Every method of `api` answering UNIMPLEMENTED: these tests are about what reflection says, not the calls. */
const stubs = <H extends object>(api: LoadedApi<H>): ServiceRegistration =>
  defineService(api, Object.fromEntries(Object.keys(api.definition).map((m) => [m, notImplemented])) as unknown as AsyncHandlers<H>);

/** One reflection stream: send every request, collect every response. */
async function reflect(address: string, version: (typeof REFLECTION_SERVICES)[number], requests: ReflectionRequest[]): Promise<ReflectionResponse[]> {
  const client = new (loadReflectionApi(version).Client)(`unix:${address}`, grpc.credentials.createInsecure());
  try {
    const call = (client as unknown as { ServerReflectionInfo: (o: grpc.CallOptions) => grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse> }).ServerReflectionInfo({ deadline: Date.now() + 10_000 });
    for (const r of requests) call.write(r);
    call.end();
    const out: ReflectionResponse[] = [];
    for await (const res of call) out.push(res);
    return out;
  } finally {
    client.close();
  }
}

const decode = (bytes: Uint8Array): IFileDescriptorProto => descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bytes), { arrays: true }) as IFileDescriptorProto;
const filesOf = (res: ReflectionResponse): IFileDescriptorProto[] => {
  assert.ok(res.fileDescriptorResponse, `expected files, got ${JSON.stringify(res.errorResponse)}`);
  return res.fileDescriptorResponse.fileDescriptorProto.map(decode);
};
const message = (file: IFileDescriptorProto, name: string): IDescriptorProto => file.messageType!.find((m) => m.name === name)!;

describe('server reflection from the compiled descriptors', () => {
  let dir: string, sock: string, server: RpcServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rf-rpc-'));
    sock = join(dir, 'all.sock');
    const services = [stubs(InitV1.loadInitApi()), stubs(MaintainerV1.loadMaintainerApi()), stubs(KeysV1.loadKeysApi())];
    server = new RpcServer({ socketPath: sock, logger: silent, services });
    await server.start();
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const version of REFLECTION_SERVICES) {
    it(`${version}: lists our services, grpc.health.v1 and both reflection versions`, async () => {
      const [res] = await reflect(sock, version, [{ listServices: '*' }]);
      assert.deepEqual(res!.listServicesResponse!.service.map((s) => s.name).sort(), [
        'fortros.init.v1.Init',
        'fortros.keys.v1.Keys',
        'fortros.maintainer.v1.Maintainer',
        'grpc.health.v1.Health',
        'grpc.reflection.v1.ServerReflection',
        'grpc.reflection.v1alpha.ServerReflection',
      ]);
    });
  }

  it('names files as in proto/ and declares the Timestamp import, sending the imported file too', async () => {
    const [bySymbol, byMethod, byName] = await reflect(sock, 'grpc.reflection.v1.ServerReflection', [
      { fileContainingSymbol: 'fortros.init.v1.Init' },
      { fileContainingSymbol: 'fortros.init.v1.Init.GetService' },
      { fileByFilename: 'fortros/init/v1/init.proto' },
    ]);
    for (const res of [bySymbol!, byMethod!, byName!]) {
      const files = filesOf(res);
      assert.deepEqual(files.map((f) => f.name), ['fortros/init/v1/init.proto', 'google/protobuf/timestamp.proto']);
      assert.deepEqual(files[0]!.dependency, ['google/protobuf/timestamp.proto']);
      const service = message(files[0]!, 'Service');
      assert.equal(service.field!.find((f) => f.name === 'since')!.typeName, '.google.protobuf.Timestamp');
    }
  });

  it('names map entries as protoc does (LabelsEntry, StatusesEntry), marked map_entry', async () => {
    const [maint, health] = await reflect(sock, 'grpc.reflection.v1alpha.ServerReflection', [{ fileContainingSymbol: 'fortros.maintainer.v1.Node' }, { fileByFilename: 'grpc/health/v1/health.proto' }]);
    const node = message(filesOf(maint!)[0]!, 'Node');
    assert.equal(node.field!.find((f) => f.name === 'labels')!.typeName, '.fortros.maintainer.v1.Node.LabelsEntry');
    assert.deepEqual(node.nestedType!.map((n) => [n.name, n.options?.mapEntry]), [['LabelsEntry', true]]);
    const list = message(filesOf(health!)[0]!, 'HealthListResponse');
    assert.deepEqual(list.nestedType!.map((n) => n.name), ['StatusesEntry']);
  });

  it('serves every file byte for byte as buf compiled it', async () => {
    const compiled = new Map(splitFileDescriptorSet(descriptorSet(), 'fortros.binpb').map((b) => [decode(b).name!, Buffer.from(b)]));
    const names = [...compiled.keys()];
    const responses = await reflect(sock, 'grpc.reflection.v1.ServerReflection', names.map((fileByFilename) => ({ fileByFilename })));
    responses.forEach((res, i) => assert.ok(Buffer.from(res.fileDescriptorResponse!.fileDescriptorProto[0]!).equals(compiled.get(names[i]!)!), names[i]));
  });

  it('answers a failed lookup in-band with NOT_FOUND and goes on with the stream', async () => {
    const [made, missing, after] = await reflect(sock, 'grpc.reflection.v1.ServerReflection', [
      { fileByFilename: 'fortros_init_v1.proto' },
      { fileContainingSymbol: 'fortros.init.v1.Nope' },
      { fileContainingSymbol: 'grpc.health.v1.Health' },
    ]);
    assert.equal(made!.errorResponse!.errorCode, StatusCode.NOT_FOUND);
    assert.match(made!.errorResponse!.errorMessage, /fortros_init_v1\.proto/);
    assert.equal(missing!.errorResponse!.errorCode, StatusCode.NOT_FOUND);
    assert.deepEqual(filesOf(after!).map((f) => f.name), ['grpc/health/v1/health.proto']);
  });

  it('answers extension queries: none are declared in proto/', async () => {
    const [numbers, unknown] = await reflect(sock, 'grpc.reflection.v1.ServerReflection', [{ allExtensionNumbersOfType: 'fortros.init.v1.Service' }, { allExtensionNumbersOfType: 'no.Such' }]);
    assert.deepEqual(numbers!.allExtensionNumbersResponse, { baseTypeName: 'fortros.init.v1.Service', extensionNumber: [] });
    assert.equal(unknown!.errorResponse!.errorCode, StatusCode.NOT_FOUND);
  });
});

describe('descriptor sets refused', () => {
  const echo = decode(splitFileDescriptorSet(echoDescriptors().bytes, 'echo')[0]!);
  const setOf = (...file: IFileDescriptorProto[]): Uint8Array => descriptor.FileDescriptorSet.encode({ file }).finish();

  it('a server whose service no set declares fails at construction, naming the service', () => {
    assert.throws(() => new RpcServer({ socketPath: '/nonexistent/x.sock', logger: silent, services: [stubs(echoApi())] }), (err: Error) => err instanceof DescriptorSetError && /fortros\.test\.v1\.Echo/.test(err.message));
  });

  it('the same file name with other contents in two sets', () => {
    assert.throws(() => new DescriptorIndex([{ label: 'a', bytes: setOf(echo) }, { label: 'b', bytes: setOf({ ...echo, package: 'other.v1' }) }]), /b: echo\.proto differs/);
  });

  it('an import that no set holds, and bytes that are not a FileDescriptorSet', () => {
    assert.throws(() => new DescriptorIndex([{ label: 'a', bytes: setOf({ name: 'x.proto', dependency: ['y.proto'] }) }]), /x\.proto: imports y\.proto/);
    assert.throws(() => new DescriptorIndex([{ label: 'junk', bytes: Buffer.from('hello') }]), /junk: not a FileDescriptorSet/);
  });
});
