// Bundles fortros-init into dist/bundle/ (esbuild, from the tsc output in dist/): one file with what boot needs up to
// the first spawns, and chunks for what it imports after them (the control API: gRPC, protobufjs, prom-client).
// Options and the plugins every app bundle needs come from scripts/node-bundle.mjs; init adds its own two below.
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { nodeBundle, originalLocation, sideEffectFreeLibs } from '../../../scripts/node-bundle.mjs';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = resolve(appDir, 'dist/bundle');

/**
 * libs/rpc's error classes need grpc-js only for its `status` numbers: they get grpc-js's constants module, not all
 * of grpc-js, so the first file holds no gRPC.
 */
const grpcStatusOnly = {
  name: 'grpc-status-only',
  setup(b) {
    b.onResolve({ filter: /^@grpc\/grpc-js$/ }, (args) =>
      /[\\/]libs[\\/]rpc[\\/]dist[\\/]errors\.js$/.test(args.importer) ? { path: 'grpc-status', namespace: 'grpc-status' } : undefined,
    );
    // grpc-js exports its Status enum as `status`; only that, from the one small module that defines it
    b.onLoad({ filter: /.*/, namespace: 'grpc-status' }, () => ({
      contents: "export { Status as status } from '@grpc/grpc-js/build/src/constants.js';",
      resolveDir: appDir,
      loader: 'js',
    }));
  },
};

/**
 * What boot needs of libs/daemon and libs/rpc before the first spawns, without their barrels (index.js), which
 * would make esbuild place the metrics server, prom-client and gRPC in the file loaded first. The control plane
 * (control/control-plane.js and what only it imports) keeps the barrels. A name missing here fails the build.
 */
const CONTROL_PLANE_FILES = /[\\/]dist[\\/]control[\\/](control-plane|init-api|wire|metrics)\.js$/;
const BOOT_PATH_PARTS = {
  '@fortros/daemon': ['signal-router.js', 'exit-codes.js', 'errors.js', 'listen-flag.js', 'constants.js'],
  '@fortros/rpc': ['errors.js', 'constants.js'],
};
const bootPathParts = {
  name: 'boot-path-parts',
  setup(b) {
    b.onResolve({ filter: /^@fortros\/(daemon|rpc)$/ }, async (args) => {
      if (!args.importer.startsWith(resolve(appDir, 'dist')) || CONTROL_PLANE_FILES.test(args.importer)) return undefined;
      const index = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolved' });
      if (index.errors.length) return { errors: index.errors };
      return { path: index.path, namespace: 'boot-path', pluginData: args.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'boot-path' }, (args) => ({
      contents: BOOT_PATH_PARTS[args.pluginData].map((f) => `export * from ${JSON.stringify(resolve(dirname(args.path), f))};`).join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

const result = await nodeBundle({
  name: 'fortros-init',
  entry: resolve(appDir, 'dist/main.js'),
  outdir: bundleDir,
  plugins: [bootPathParts, grpcStatusOnly, sideEffectFreeLibs, originalLocation(bundleDir)],
  metafile: process.env.FORTROS_BUNDLE_META !== undefined,
});
// FORTROS_BUNDLE_META=FILE: also write esbuild's metafile there (which module went into which file, and its bytes)
if (result.metafile) await writeFile(process.env.FORTROS_BUNDLE_META, JSON.stringify(result.metafile));
