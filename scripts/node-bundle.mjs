// What the apps' esbuild bundles share (apps/init, and scripts/bundle-app.mjs for fortctl and the daemons): the build
// options for a Node 20 ES-module bundle with split chunks, and the two plugins every such bundle needs.
import { readFile, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { build } from 'esbuild';

/** tsc output of a workspace lib: its relative imports are as side-effect free as the lib itself. */
export const WORKSPACE_LIB_DIST = /[\\/]libs[\\/][^\\/]+[\\/]dist[\\/]/;

/**
 * Modules that find their data from their own location (import.meta.url, __dirname, __filename: .proto files,
 * descriptor sets) get that original location, as a path relative to `outdir`, so they still find it from the bundle.
 */
export function originalLocation(outdir) {
  return {
    name: 'original-location',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const metaUrl = source.includes('import.meta.url');
        const dirVars = /\b__(?:dirname|filename)\b/.test(source);
        if (!metaUrl && !dirVars) return undefined;
        // no import.meta in the prelude: it would turn a CommonJS file into an ES module
        const at = `__nbAt(${JSON.stringify(relative(outdir, path).split('\\').join('/'))})`;
        const head = [];
        if (metaUrl) head.push(`const __nbUrl = ${at}.href;`);
        if (dirVars) head.push(`var __filename = __nbToPath(${at});`, 'var __dirname = __nbDir(__filename);');
        return { contents: `${head.join('\n')}\n${metaUrl ? source.replaceAll('import.meta.url', '__nbUrl') : source}`, loader: 'js' };
      });
    },
  };
}

/**
 * Workspace libs only define things on import: saying so lets esbuild drop the modules an app does not use (e.g.
 * libs/rpc's server side from fortctl, libs/daemon's metrics server from init's first file).
 */
export const sideEffectFreeLibs = {
  name: 'side-effect-free-libs',
  setup(b) {
    const again = async (args) => {
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolved' });
      return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: false };
    };
    b.onResolve({ filter: /^@fortros\// }, (args) => (args.pluginData === 'resolved' ? undefined : again(args)));
    b.onResolve({ filter: /^\.\.?\// }, (args) => (args.pluginData === 'resolved' || !WORKSPACE_LIB_DIST.test(args.importer) ? undefined : again(args)));
  },
};

/**
 * Bundles `entry` (tsc output) into `outdir` as `NAME.mjs` plus hashed chunks for what it imports lazily, minified,
 * koffi (native) left to node_modules; `outdir` is emptied first so no stale chunk survives. `entries` ({ NAME: entry })
 * bundles several programs of one app at once, sharing chunks. Returns esbuild's result.
 */
export async function nodeBundle({ name, entry, entries = { [name]: entry }, outdir, plugins, metafile = false }) {
  await rm(outdir, { recursive: true, force: true });
  return build({
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    external: ['koffi'],
    banner: {
      js: [
        "import { createRequire as __nbRequire } from 'node:module';",
        "import { fileURLToPath as __nbToPath } from 'node:url';",
        "import { dirname as __nbDir } from 'node:path';",
        'const require = __nbRequire(import.meta.url);',
        'const __nbAt = (rel) => new URL(rel, import.meta.url);',
      ].join('\n'),
    },
    plugins,
    minify: true,
    metafile,
    logLevel: 'warning',
    legalComments: 'none',
  });
}
