// Build step (target `descriptors`): every .proto file of proto/, and the gRPC reflection protos that
// @grpc/reflection ships, as protobufjs JSON, one file each (descriptors/json/<path of the .proto>.json), parsed here
// once with the loader's options, so that a process loads an API with protobufjs's Root.fromJSON (~1 ms) instead of
// parsing .proto text and building proto-loader's descriptors at every start (~14 ms for init.proto on this
// machine). proto/ stays the only truth of our wire: this is derived from it.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));
const OUT = fileURLToPath(new URL('../descriptors/json/', import.meta.url));
/** @grpc/reflection's protos (grpc/reflection/v1 and v1alpha), served by every daemon (libs/rpc reflection-server). */
const REFLECTION_ROOT = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json')), 'build', 'proto');

/** Every .proto under `base`, as paths relative to `top`. */
function protoFiles(top, base = top) {
  return readdirSync(base).flatMap((name) => {
    const path = join(base, name);
    if (statSync(path).isDirectory()) return protoFiles(top, path);
    return name.endsWith('.proto') ? [relative(top, path)] : [];
  });
}

rmSync(OUT, { recursive: true, force: true });
const files = [
  ...protoFiles(PROTO_ROOT).sort().map((file) => ({ top: PROTO_ROOT, file })),
  ...protoFiles(REFLECTION_ROOT, join(REFLECTION_ROOT, 'grpc', 'reflection')).sort().map((file) => ({ top: REFLECTION_ROOT, file })),
];
for (const { top, file } of files) {
  const root = new protobuf.Root();
  // imports resolve against the file's tree (google/protobuf/* are protobufjs's own copies, as proto-loader's are)
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(top, target));
  // keepCase false: field names in lowerCamelCase, as the generated types (the `proto` target) have them
  root.loadSync(file, { keepCase: false });
  root.resolveAll();
  const out = join(OUT, `${file}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(root.toJSON())}\n`);
}
process.stdout.write(`proto-json: ${files.length} files (proto/ and grpc/reflection) written under ${relative(process.cwd(), OUT) || OUT}\n`);
