// A grpc.reflection.v1 client: lists the services a server exposes, as grpcurl's `list` does.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { targetFor } from './client.js';

const require = createRequire(import.meta.url);

function reflectionCtor(): grpc.ServiceClientConstructor {
  const root = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [root] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } } };
  return pkg.grpc.reflection.v1.ServerReflection;
}

/** Fully-qualified names of the services `address` serves, via server reflection. */
export async function listServicesByReflection(address: string, timeoutMs = 2_000): Promise<string[]> {
  const client = new (reflectionCtor())(targetFor(address), grpc.credentials.createInsecure());
  try {
    const call = (client as unknown as { ServerReflectionInfo: (opts: grpc.CallOptions) => grpc.ClientDuplexStream<unknown, { listServicesResponse?: { service: Array<{ name: string }> } }> }).ServerReflectionInfo({
      deadline: new Date(Date.now() + timeoutMs),
    });
    call.write({ listServices: '' });
    call.end();
    for await (const res of call) {
      if (res.listServicesResponse) return res.listServicesResponse.service.map((s: { name: string }) => s.name).sort();
    }
    return [];
  } finally {
    client.close();
  }
}
