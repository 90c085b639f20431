// A grpc.health.v1 client, so tools and tests can ask any FortrOS server whether it serves.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { targetFor } from './target.js';
import { RpcCallError } from './errors.js';

type HealthCtor = grpc.ServiceClientConstructor;
let HealthClient: HealthCtor | undefined;

function ctor(): HealthCtor {
  if (!HealthClient) {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as { grpc: { health: { v1: { Health: HealthCtor } } } };
    HealthClient = pkg.grpc.health.v1.Health;
  }
  return HealthClient;
}

/** grpc.health.v1 Check against a server: 'SERVING', 'NOT_SERVING', … */
export async function checkHealth(address: string, service = '', timeoutMs = 2_000): Promise<string> {
  const client = new (ctor())(targetFor(address), grpc.credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) => {
      (client as unknown as { Check: (req: unknown, opts: grpc.CallOptions, cb: grpc.requestCallback<{ status: string }>) => void }).Check(
        { service },
        { deadline: new Date(Date.now() + timeoutMs) },
        (err, res) => (err ? reject(new RpcCallError(err.code, err.details, 'Check')) : resolve(res!.status)),
      );
    });
  } finally {
    client.close();
  }
}
