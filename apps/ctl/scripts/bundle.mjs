// Bundles fortctl into dist/bundle/ (esbuild, from the tsc output in dist/): one file for the CLI, one chunk for the
// gRPC stack it imports lazily, so a call resolves and reads a few files instead of hundreds. Options and plugins are
// the ones every app bundle shares (scripts/node-bundle.mjs).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle, originalLocation, sideEffectFreeLibs } from '../../../scripts/node-bundle.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(projectRoot, 'dist/bundle');

await nodeBundle({ name: 'fortctl', entry: resolve(projectRoot, 'dist/main.js'), outdir, plugins: [sideEffectFreeLibs, originalLocation(outdir)] });
