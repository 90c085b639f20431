// Fingerprints of the script files of each service (run, finish, exec'd up/down), so a rescan can tell a
// script edited in place (same path, same definition) from an unchanged one. stat only: never reads a file.
import { stat } from 'node:fs/promises';
import type { CompiledTree, ServiceDefinition } from '@fortros/servicedir';
import { RESCAN_PARALLEL_STATS } from '../constants.js';

export type ScriptFingerprints = ReadonlyMap<string, string>;

function scriptFiles(def: ServiceDefinition): string[] {
  const files = [def.run, def.finish];
  for (const cmd of [def.up, def.down]) if (cmd?.kind === 'exec') files.push(cmd.path);
  return files.filter((f): f is string => f !== undefined);
}

async function fingerprint(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}`;
  } catch (err) {
    return `error:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

/** One fingerprint per loaded service with script files (bundles and script-less oneshots have none). */
export async function fingerprintScripts(tree: CompiledTree, options: { signal?: AbortSignal } = {}): Promise<Map<string, string>> {
  const defs = [...tree.services.values()].filter((d) => scriptFiles(d).length > 0);
  const out = new Map<string, string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < defs.length; i = next++) {
      options.signal?.throwIfAborted();
      const def = defs[i]!;
      const parts = await Promise.all(scriptFiles(def).map(fingerprint));
      out.set(def.name, parts.join('|'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESCAN_PARALLEL_STATS, defs.length) }, worker));
  return out;
}
