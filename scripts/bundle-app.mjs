// Bundles the app in the working directory (an app's `build`, after tsc) into its dist/bundle/: one file per program
// instead of the hundreds of modules Node would resolve and read at each start (a daemon starts in about half the
// time: README.md, "Shared node plumbing"). Usage: node ../../scripts/bundle-app.mjs NAME=dist/main.js [NAME=ENTRY …]
import { resolve } from 'node:path';
import process from 'node:process';
import { nodeBundle, originalLocation, sideEffectFreeLibs } from './node-bundle.mjs';

const outdir = resolve('dist/bundle');
const entries = {};
for (const arg of process.argv.slice(2)) {
  const [name, entry] = arg.split('=');
  if (!name || !entry) {
    process.stderr.write(`bundle-app: expected NAME=ENTRY, got ${JSON.stringify(arg)}\n`);
    process.exit(2);
  }
  entries[name] = resolve(entry);
}
if (Object.keys(entries).length === 0) {
  process.stderr.write('usage: node scripts/bundle-app.mjs NAME=dist/main.js [NAME=ENTRY …] (in the app\'s directory)\n');
  process.exit(2);
}
await nodeBundle({ entries, outdir, plugins: [sideEffectFreeLibs, originalLocation(outdir)] });
