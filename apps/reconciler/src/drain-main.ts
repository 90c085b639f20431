// fortros-workloads-drain: node shutdown stops this node's workloads gracefully before the reconciler, maintainer
// and key service stop (DESIGN §1). It raises the drain flag (the reconciler then wants nothing here and starts
// nothing) and stops every run through the drivers itself, so it works whether or not the reconciler is up.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRoot } from '@fortros/core';
import { DRAIN_FLAG_PATH, DRAIN_TIMEOUT_MS } from './constants.js';
import { nodeDrivers } from './daemon/drivers.js';

const EXIT_USAGE = 2;
const USAGE = `usage: fortros-workloads-drain [--root DIR]

Stop every workload of this node (graceful stop, then SIGKILL after the driver's timeout) and keep them stopped
while <root>/${DRAIN_FLAG_PATH} exists (it lives in RAM: a boot clears it; the node tree's workloads-drain
oneshot removes it on up). Exit codes: 0 all stopped, 1 some still running after ${DRAIN_TIMEOUT_MS} ms, 2 usage error.
`;

async function main(argv: string[]): Promise<number> {
  let root: string;
  try {
    const { values } = parseArgs({ args: argv, options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    root = resolveRoot(values.root, process.env);
  } catch (err) {
    process.stderr.write(`fortros-workloads-drain: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const flag = join(root, DRAIN_FLAG_PATH);
  await mkdir(dirname(flag), { recursive: true });
  await writeFile(flag, `${new Date().toISOString()}\n`);
  const drivers = nodeDrivers(root);
  const signal = AbortSignal.timeout(DRAIN_TIMEOUT_MS);
  try {
    // Until a full look finds nothing running (a pass of the reconciler may have started one meanwhile).
    for (;;) {
      const running: Promise<void>[] = [];
      for (const driver of drivers.values()) {
        for (const [id, run] of await driver.list({ signal })) {
          if (run.state === 'running') running.push(driver.stop(id, { signal }).then(() => void process.stderr.write(`stopped ${id}\n`)));
        }
      }
      if (running.length === 0) return 0;
      await Promise.all(running);
    }
  } catch (err) {
    process.stderr.write(`fortros-workloads-drain: ${(err as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`fortros-workloads-drain: fatal: ${String(err)}\n`);
    process.exit(1);
  },
);
