// koffi's native module, loaded on its own: koffi's package entry point also loads its install-time tooling (node's
// https, zlib and crypto), ~11 ms of init's boot before the first spawn on this machine, where the native module
// alone loads in ~2 ms. Falls back to the package entry point wherever that module is not found where expected.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Koffi from 'koffi';

export type KoffiApi = typeof Koffi;

let loaded: KoffiApi | undefined;

export function koffi(): KoffiApi {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  try {
    const root = dirname(load.resolve('koffi/package.json'));
    const { version } = load('koffi/package.json') as { version: string };
    // the layout of koffi's package: build/koffi/<platform>_<arch>/koffi.node, e.g. linux_x64
    const native = load(join(root, 'build', 'koffi', `${process.platform}_${process.arch}`, 'koffi.node')) as KoffiApi & { version?: string };
    if (native.version === version) return (loaded = native);
  } catch {
    /* not there (another platform's name for it, a musl build): the package finds it */
  }
  return (loaded = load('koffi') as KoffiApi);
}
