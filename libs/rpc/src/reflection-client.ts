// A grpc.reflection.v1 client: lists the services a server exposes, as grpcurl's `list` does.
import * as grpc from '@grpc/grpc-js';
import { targetFor } from './client.js';
import { loadReflectionApi } from './reflection-server.js';

/** Fully-qualified names of the services `address` serves, via server reflection. */
export async function listServicesByReflection(address: string, timeoutMs = 2_000): Promise<string[]> {
  const client = new (loadReflectionApi('grpc.reflection.v1.ServerReflection').Client)(targetFor(address), grpc.credentials.createInsecure());
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
