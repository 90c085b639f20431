// Bundles fortros-init into dist/bundle/ (esbuild, from the tsc output in dist/): one file with what boot needs up to
// the first spawns, and chunks for what it imports after them (the control API: gRPC, protobufjs, prom-client).
// Modules that locate their data files from their own location (import.meta.url, __dirname: the .proto files) are
// given that original location, as a path relative to the bundle, so they still find them.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = resolve(appDir, 'dist/bundle');
const WORKSPACE_LIB_DIST = /[\\/]libs[\\/][^\\/]+[\\/]dist[\\/]/;

/** Rewrites import.meta.url / __dirname / __filename of a module to its place on disk, seen from the bundle. */
const originalLocation = {
  name: 'original-location',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const metaUrl = source.includes('import.meta.url');
      const dirVars = /\b__(?:dirname|filename)\b/.test(source);
      if (!metaUrl && !dirVars) return undefined;
      const at = `__fiAt(${JSON.stringify(relative(bundleDir, path).split('\\').join('/'))})`;
      const head = [];
      if (metaUrl) head.push(`const __fiUrl = ${at}.href;`);
      if (dirVars) head.push(`var __filename = __fiToPath(${at});`, 'var __dirname = __fiDir(__filename);');
      return { contents: `${head.join('\n')}\n${metaUrl ? source.replaceAll('import.meta.url', '__fiUrl') : source}`, loader: 'js' };
    });
  },
};

/**
 * Workspace libs only define things on import, so esbuild may drop what init does not use (libs/daemon's metrics
 * server from the first file, libs/rpc's client side entirely). libs/rpc's error classes need grpc-js only for its
 * `status` numbers: they get grpc-js's constants module, not all of grpc-js, so the first file holds no gRPC.
 */
const sideEffectFreeLibs = {
  name: 'side-effect-free-libs',
  setup(b) {
    const again = async (args) => {
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolved' });
      return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: false };
    };
    b.onResolve({ filter: /^@grpc\/grpc-js$/ }, (args) =>
      /[\\/]libs[\\/]rpc[\\/]dist[\\/]errors\.js$/.test(args.importer) ? { path: 'grpc-status', namespace: 'grpc-status' } : undefined,
    );
    // grpc-js exports its Status enum as `status`; only that, from the one small module that defines it
    b.onLoad({ filter: /.*/, namespace: 'grpc-status' }, () => ({
      contents: "export { Status as status } from '@grpc/grpc-js/build/src/constants.js';",
      resolveDir: appDir,
      loader: 'js',
    }));
    b.onResolve({ filter: /^@fortros\// }, (args) => (args.pluginData === 'resolved' ? undefined : again(args)));
    b.onResolve({ filter: /^\.\.?\// }, (args) => (args.pluginData === 'resolved' || !WORKSPACE_LIB_DIST.test(args.importer) ? undefined : again(args)));
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

await rm(bundleDir, { recursive: true, force: true }); // chunk names carry hashes: drop the old ones
const result = await build({
  entryPoints: { 'fortros-init': resolve(appDir, 'dist/main.js') },
  outdir: bundleDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['koffi'], // native: loaded from node_modules
  banner: {
    js: [
      "import { createRequire as __fiRequire } from 'node:module';",
      "import { fileURLToPath as __fiToPath } from 'node:url';",
      "import { dirname as __fiDir } from 'node:path';",
      'const require = __fiRequire(import.meta.url);',
      'const __fiAt = (rel) => new URL(rel, import.meta.url);',
    ].join('\n'),
  },
  plugins: [bootPathParts, sideEffectFreeLibs, originalLocation],
  minify: true,
  metafile: process.env.FORTROS_BUNDLE_META !== undefined,
  logLevel: 'warning',
  legalComments: 'none',
});
// FORTROS_BUNDLE_META=FILE: also write esbuild's metafile there (which module went into which file, and its bytes)
if (result.metafile) await writeFile(process.env.FORTROS_BUNDLE_META, JSON.stringify(result.metafile));
