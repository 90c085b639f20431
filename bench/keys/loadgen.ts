// bench/keys load generator: runs as a service under fortros-init (so the key service attributes its calls), drives
// unary DeriveKey and the DeriveKeys stream over keys.sock at each concurrency, and writes its figures to a JSON file.
import { NODE_PATHS } from '@fortros/core';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InitV1, KeysV1 } from '@fortros/proto';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { runLevel, type Api, type LevelResult } from './levels.js';

export type { LevelResult } from './levels.js';

/** fortros-keys' pid, from init's own view (ListServices), so its CPU time can be read; undefined if init does not say. */
async function servicePid(root: string, name: string): Promise<number | undefined> {
  const init = createClient<InitV1.InitClient>(InitV1.loadInitApi(), join(root, NODE_PATHS.initSocket));
  try {
    const { services } = await unary(init, 'listServices', {});
    const pid = services.find((s) => s.name === name)?.pid;
    return pid !== undefined && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    closeClient(init);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      out: { type: 'string' },
      'duration-ms': { type: 'string', default: '3000' },
      'warmup-ms': { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '1,8,64' },
      apis: { type: 'string', default: 'unary,stream' },
      'keys-service': { type: 'string', default: 'key-service' },
    },
  });
  const root = values.root ?? process.env['FORTROS_ROOT'] ?? '/';
  const out = values.out ?? join(root, 'bench-keys.json');
  const durationMs = Number(values['duration-ms']);
  const warmupMs = Number(values['warmup-ms']);
  const levels = values.concurrency.split(',').map(Number);
  const apis = values.apis.split(',') as Api[];
  const serverPid = await servicePid(root, values['keys-service']);
  const client = createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), join(root, NODE_PATHS.keysSocket));
  const results: LevelResult[] = [];
  try {
    for (const c of levels) {
      for (const api of apis) {
        await runLevel(client, api, c, warmupMs, false);
        results.push(await runLevel(client, api, c, durationMs, true, serverPid));
      }
    }
  } finally {
    closeClient(client);
  }
  await writeFile(`${out}.tmp`, JSON.stringify({ pid: process.pid, serverPid, results }));
  await rename(`${out}.tmp`, out);
  // stay up (a longrun that exits is restarted by init) until the bench stops init
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error('bench/keys loadgen:', err);
  process.exit(1);
});
