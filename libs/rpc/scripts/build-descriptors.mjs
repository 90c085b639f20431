// Compiles the standard services every RpcServer serves besides ours (grpc.health.v1, grpc.reflection.v1 and
// v1alpha) with buf, from the .proto files of the packages that implement them, under their upstream file names,
// into descriptors/grpc.binpb: the descriptors reflection serves for them (libs/rpc target `descriptors`).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const project = fileURLToPath(new URL('..', import.meta.url));
const output = join(project, 'descriptors', 'grpc.binpb');

/** Upstream file name (grpc/grpc-proto's layout, as other servers serve it) → the file in an installed package. */
const SOURCES = {
  'grpc/health/v1/health.proto': join(packageDir('grpc-health-check'), 'proto', 'health', 'v1', 'health.proto'),
  'grpc/reflection/v1/reflection.proto': join(packageDir('@grpc/reflection'), 'build', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto'),
  'grpc/reflection/v1alpha/reflection.proto': join(packageDir('@grpc/reflection'), 'build', 'proto', 'grpc', 'reflection', 'v1alpha', 'reflection.proto'),
};

const stage = mkdtempSync(join(tmpdir(), 'fortros-grpc-protos-'));
try {
  for (const [name, source] of Object.entries(SOURCES)) {
    mkdirSync(dirname(join(stage, name)), { recursive: true });
    copyFileSync(source, join(stage, name));
  }
  mkdirSync(dirname(output), { recursive: true });
  const buf = require.resolve('@bufbuild/buf/bin/buf');
  execFileSync(process.execPath, [buf, 'build', stage, '--output', output], { stdio: 'inherit' });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
