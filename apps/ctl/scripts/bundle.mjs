// Bundles fortctl into dist/bundle/ (esbuild, from the tsc output in dist/): one file for the CLI, one chunk for the
// gRPC stack it imports lazily, so a call resolves and reads a few files instead of hundreds.
// Files that find their data relative to themselves (__dirname, import.meta.url: .proto files, descriptor sets) keep
// finding it where it is: each such reference is rewritten to that file's original location, relative to the bundle.
import { readFile, rm } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(projectRoot, 'dist/bundle');

/** `import.meta.url`, `__dirname`, `__filename` of `file`, as expressions evaluated in the bundle. */
const keepOwnLocation = {
  name: 'keep-own-location',
  setup(b) {
    b.onLoad({ filter: /\.(c|m)?js$/ }, async (args) => {
      let code = await readFile(args.path, 'utf8');
      const usesUrl = code.includes('import.meta.url');
      const usesDir = /\b__(dirname|filename)\b/.test(code);
      if (!usesUrl && !usesDir) return undefined;
      const rel = relative(outdir, args.path).split('\\').join('/');
      const here = `__ctHere(${JSON.stringify(rel)})`; // no import.meta here: it would make a CommonJS file an ES module
      const prelude = [];
      if (usesUrl) {
        code = code.replaceAll('import.meta.url', '__ctOwnUrl');
        prelude.push(`const __ctOwnUrl = ${here}.href;`);
      }
      if (usesDir) {
        prelude.push(`var __filename = __ctFileUrlToPath(${here});`, `var __dirname = __ctDirname(__filename);`);
      }
      return { contents: `${prelude.join('\n')}\n${code}`, loader: 'js' };
    });
  },
};

/**
 * The workspace libs define things and do nothing on import: saying so lets esbuild drop the modules fortctl does not
 * use (libs/rpc's server, health and reflection, and grpc-health-check, which parses a .proto file on import).
 */
const workspaceLibsArePure = {
  name: 'workspace-libs-are-pure',
  setup(b) {
    b.onResolve({ filter: /^@fortros\// }, async (args) => {
      if (args.pluginData === 'pure') return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'pure' });
      return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: false };
    });
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'pure' || !/[\\/]libs[\\/][^\\/]+[\\/]dist[\\/]/.test(args.importer)) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'pure' });
      return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: false };
    });
  },
};

await rm(outdir, { recursive: true, force: true }); // chunk names carry hashes: no stale chunk survives a rebuild
await build({
  entryPoints: { fortctl: resolve(projectRoot, 'dist/main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['koffi'], // a native module: loaded from node_modules where it lies
  banner: {
    js: [
      "import { createRequire as __ctCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ctFileUrlToPath } from 'node:url';",
      "import { dirname as __ctDirname } from 'node:path';",
      'const require = __ctCreateRequire(import.meta.url);',
      'const __ctHere = (rel) => new URL(rel, import.meta.url);',
    ].join('\n'),
  },
  plugins: [workspaceLibsArePure, keepOwnLocation],
  minify: true,
  logLevel: 'warning',
  legalComments: 'none',
});
