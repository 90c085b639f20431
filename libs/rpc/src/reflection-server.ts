// Server reflection (grpc.reflection.v1 and v1alpha) answering from compiled descriptor sets, served as is (DESIGN §5).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { DESCRIPTOR_SET_PATH, descriptorSet, loadApi, type LoadedApi } from '@fortros/proto';
import { DescriptorIndex } from './descriptor-index.js';
import { DescriptorSetError, InvalidArgumentError, StatusError } from './errors.js';
import type { BidiStreamHandler } from './handlers.js';

/** grpc.health.v1 and grpc.reflection.v1/v1alpha, compiled by buf at build time (scripts/build-descriptors.mjs). */
export const GRPC_DESCRIPTOR_SET_PATH = fileURLToPath(new URL('../descriptors/grpc.binpb', import.meta.url));
export const HEALTH_SERVICE = 'grpc.health.v1.Health';
/** Both versions are served, and listed: clients ask v1 first and fall back to v1alpha (grpcurl, older grpcio). */
export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;

/** A serialized FileDescriptorSet and where it came from (named in errors). */
export interface DescriptorSource {
  label: string;
  bytes: Uint8Array;
}

/** ServerReflectionRequest as the loader decodes it (camelCase, `messageRequest` names the oneof member set). */
export interface ReflectionRequest {
  host?: string;
  messageRequest?: string;
  fileByFilename?: string;
  fileContainingSymbol?: string;
  fileContainingExtension?: { containingType?: string; extensionNumber?: number };
  allExtensionNumbersOfType?: string;
  listServices?: string;
}

export interface ReflectionResponse {
  validHost: string;
  originalRequest: ReflectionRequest;
  fileDescriptorResponse?: { fileDescriptorProto: Uint8Array[] };
  allExtensionNumbersResponse?: { baseTypeName: string; extensionNumber: number[] };
  listServicesResponse?: { service: Array<{ name: string }> };
  errorResponse?: { errorCode: number; errorMessage: string };
}

let grpcSet: Uint8Array | undefined;

/** The descriptor sets every server serves from: proto/'s (libs/proto) and the standard services' (this lib). */
export function standardDescriptorSets(): DescriptorSource[] {
  if (!grpcSet) {
    try {
      grpcSet = readFileSync(GRPC_DESCRIPTOR_SET_PATH);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new DescriptorSetError(`${GRPC_DESCRIPTOR_SET_PATH}: cannot read the descriptor set (${why}); build libs/rpc (npx nx run @fortros/rpc:build)`);
    }
  }
  return [
    { label: DESCRIPTOR_SET_PATH, bytes: descriptorSet() },
    { label: GRPC_DESCRIPTOR_SET_PATH, bytes: grpcSet },
  ];
}

/** The answer to one reflection request: a lookup that fails is answered in-band with its status, as the spec asks. */
export function answerReflection(index: DescriptorIndex, services: readonly string[], request: ReflectionRequest): ReflectionResponse {
  const response: ReflectionResponse = { validHost: request.host ?? '', originalRequest: request };
  try {
    switch (request.messageRequest) {
      case 'fileByFilename':
        response.fileDescriptorResponse = { fileDescriptorProto: index.fileByFilename(request.fileByFilename ?? '') };
        break;
      case 'fileContainingSymbol':
        response.fileDescriptorResponse = { fileDescriptorProto: index.fileContainingSymbol(request.fileContainingSymbol ?? '') };
        break;
      case 'fileContainingExtension': {
        const ext = request.fileContainingExtension ?? {};
        response.fileDescriptorResponse = { fileDescriptorProto: index.fileContainingExtension(ext.containingType ?? '', ext.extensionNumber ?? 0) };
        break;
      }
      case 'allExtensionNumbersOfType': {
        const type = request.allExtensionNumbersOfType ?? '';
        response.allExtensionNumbersResponse = { baseTypeName: type, extensionNumber: index.extensionNumbers(type) };
        break;
      }
      case 'listServices':
        response.listServicesResponse = { service: services.map((name) => ({ name })) };
        break;
      default:
        throw new InvalidArgumentError(`message_request: expected one of file_by_filename, file_containing_symbol, file_containing_extension, all_extension_numbers_of_type, list_services, got ${request.messageRequest ?? 'none'}`);
    }
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    response.errorResponse = { errorCode: err.code, errorMessage: err.message };
  }
  return response;
}

/** Adapts an async handler to grpc-js (the server's adaptHandler, with its error map and stop handling). */
export type AdaptHandler = (def: grpc.MethodDefinition<unknown, unknown>, handler: BidiStreamHandler<ReflectionRequest, ReflectionResponse>) => grpc.UntypedHandleCall;

/**
 * Register grpc.reflection.v1 and v1alpha on `server`, listing `serviceNames` (the server's own), grpc.health.v1
 * and reflection itself, and answering from the standard descriptor sets plus `extraSets`. Every listed service must
 * be declared in some set: a server is never started with a service its reflection cannot describe.
 */
export function addReflection(server: grpc.Server, serviceNames: readonly string[], extraSets: readonly DescriptorSource[], adapt: AdaptHandler): void {
  const index = new DescriptorIndex([...standardDescriptorSets(), ...extraSets]);
  const listed = [...serviceNames, HEALTH_SERVICE, ...REFLECTION_SERVICES];
  for (const name of listed) {
    if (!index.hasService(name)) throw new DescriptorSetError(`${name}: no descriptor set declares this service (compile its .proto into one)`);
  }
  const handler: BidiStreamHandler<ReflectionRequest, ReflectionResponse> = async (requests, ctx) => {
    for await (const request of requests) await ctx.send(answerReflection(index, listed, request));
  };
  for (const name of REFLECTION_SERVICES) {
    const definition = loadReflectionApi(name).definition;
    const method = definition.ServerReflectionInfo as grpc.MethodDefinition<unknown, unknown>;
    server.addService(definition, { ServerReflectionInfo: adapt(method, handler) });
  }
}

/** A reflection service (one of REFLECTION_SERVICES), from @grpc/reflection's .proto (as libs/proto's build made it). */
export function loadReflectionApi(name: (typeof REFLECTION_SERVICES)[number]): LoadedApi {
  const version = name.split('.')[2]!;
  return loadApi(`grpc/reflection/${version}/reflection.proto`, name);
}
