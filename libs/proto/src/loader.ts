// The one .proto loader: the same conversions for servers, clients and the generated types (proto-loader-gen-types).
// A .proto file is loaded from its protobufjs JSON, made at build time from proto/ (and from @grpc/reflection's
// protos) by scripts/proto-json.mjs: no .proto text is parsed at run time. The method table grpc-js wants is built
// here from the protobufjs types, converting messages as @grpc/proto-loader does with the same options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';
import { ProtoJsonMissingError, UnknownServiceError } from './errors.js';

/** proto/ at the repository root: the only truth of every wire format. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));
/** The protobufjs JSON of every file of proto/ (and grpc/reflection/), by its path (built by the `descriptors` target). */
export const PROTO_JSON_ROOT = fileURLToPath(new URL('../descriptors/json/', import.meta.url));

/**
 * How a decoded message becomes the object handlers and callers see (protobufjs toObject). Must match the flags of
 * the `proto` target in libs/proto/package.json (field names in lowerCamelCase are fixed at build time:
 * scripts/proto-json.mjs parses with keepCase false).
 */
export const LOADER_OPTIONS: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, oneofs: true };

/**
 * One loaded service. `H` is its generated handler interface (`InitHandlers`, …): never present at run time, it lets
 * libs/rpc demand a handler for every method of exactly this service.
 */
export interface LoadedApi<H = unknown> {
  /** Fully-qualified service name, e.g. `fortros.init.v1.Init`. */
  serviceName: string;
  /** Every type of the file and its imports (reflection serves the compiled descriptors instead: descriptors.ts). */
  root: protobuf.Root;
  /** The service's method table (for servers). */
  definition: grpc.ServiceDefinition;
  /** Client constructor (for clients). */
  Client: grpc.ServiceClientConstructor;
  /** Type only, never set: ties the API to its generated handler interface. */
  readonly handlerType?: H;
}

const cache = new Map<string, LoadedApi>();

/** `file`'s types and its imports', from the JSON the build made of it. */
function loadRoot(file: string): protobuf.Root {
  const json = join(PROTO_JSON_ROOT, `${file}.json`);
  let text: string;
  try {
    text = readFileSync(json, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ProtoJsonMissingError(`${json}: cannot read the types of ${file} (${why}); build libs/proto (npx nx run @fortros/proto:build)`);
  }
  return protobuf.Root.fromJSON(JSON.parse(text) as protobuf.INamespace);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** As proto-loader's: fromObject, then encode (protobufjs's writer makes a Buffer under Node). */
function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new TypeError(`cannot serialize ${type.fullName.slice(1)}: expected an object, got an array`);
    return type.encode(type.fromObject(value as Record<string, unknown>)).finish() as Buffer;
  };
}

/** As proto-loader's: decode, then toObject with LOADER_OPTIONS. */
function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), LOADER_OPTIONS);
}

/** grpc-js's method table for `service`: each method's path, streaming and (de)serializers. */
function methodTable(service: protobuf.Service, serviceName: string): grpc.ServiceDefinition {
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const req = method.resolvedRequestType!;
    const res = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(req),
      requestDeserialize: deserializer(req),
      responseSerialize: serializer(res),
      responseDeserialize: deserializer(res),
      originalName: lowerFirst(method.name), // clients get the camelCase alias too, as with proto-loader
    };
  }
  return definition as grpc.ServiceDefinition;
}

/**
 * Load `file` (its path under proto/, or `grpc/reflection/<version>/reflection.proto`) and return the service
 * `serviceName` in it, typed by its generated handler interface `H` (give it: a service registered without one
 * cannot be). Cached per process.
 */
export function loadApi<H = unknown>(file: string, serviceName: string): LoadedApi<H> {
  const key = `${file}#${serviceName}`;
  const hit = cache.get(key);
  if (hit) return hit as LoadedApi<H>; // H is a compile-time tag only
  const api = apiOf<H>(loadRoot(file), serviceName, file);
  cache.set(key, api);
  return api;
}

/** The service `serviceName` of types loaded some other way (a .proto that is not part of the build: a test's). */
export function apiOf<H = unknown>(root: protobuf.Root, serviceName: string, where = 'the types given'): LoadedApi<H> {
  const service = root.lookup(serviceName);
  if (service === null || !('methodsArray' in service)) throw new UnknownServiceError(`${where}: no service ${serviceName} in it`);
  const definition = methodTable(service as protobuf.Service, serviceName);
  const Client = grpc.makeGenericClientConstructor(definition, serviceName);
  return { serviceName, root, definition, Client };
}
