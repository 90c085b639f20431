// The one .proto loader: the same options for servers, clients and the generated types (proto-loader-gen-types).
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** proto/ at the repository root: the only truth of every wire format. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** Must match the flags of the `proto` target in libs/proto/package.json. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/**
 * One loaded service. `H` is its generated handler interface (`InitHandlers`, …): never present at run time, it lets
 * libs/rpc demand a handler for every method of exactly this service.
 */
export interface LoadedApi<H = unknown> {
  /** Fully-qualified service name, e.g. `fortros.init.v1.Init`. */
  serviceName: string;
  /** The proto-loader package definition (reflection serves the compiled descriptors instead: descriptors.ts). */
  packageDefinition: protoLoader.PackageDefinition;
  /** The service's method table (for servers). */
  definition: grpc.ServiceDefinition;
  /** Client constructor (for clients). */
  Client: grpc.ServiceClientConstructor;
  /** Type only, never set: ties the API to its generated handler interface. */
  readonly handlerType?: H;
}

const cache = new Map<string, LoadedApi>();

/**
 * Load `file` (relative to PROTO_ROOT) and return the service `serviceName` in it, typed by its generated handler
 * interface `H` (give it: a service registered without one cannot be). Cached per process.
 */
export function loadApi<H = unknown>(file: string, serviceName: string): LoadedApi<H> {
  const key = `${file}#${serviceName}`;
  const hit = cache.get(key);
  if (hit) return hit as LoadedApi<H>; // H is a compile-time tag only
  const packageDefinition = protoLoader.loadSync(file, LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(packageDefinition);
  let node: unknown = root;
  for (const part of serviceName.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function' || !('service' in node)) {
    throw new Error(`${file}: no service ${serviceName} in it`);
  }
  const Client = node as grpc.ServiceClientConstructor;
  const api: LoadedApi = { serviceName, packageDefinition, definition: Client.service, Client };
  cache.set(key, api);
  return api as LoadedApi<H>;
}
