// Booting: load the tree, report what failed to load, start the bundle, and supervise until told to shut down.
import { mkdir } from 'node:fs/promises';
import type { Logger } from '@fortros/log';
import { loadServiceTree } from '@fortros/servicedir';
import { systemClock } from './clock.js';
import { MissingBundleError } from './errors.js';
import type { BootOptions } from './options.js';
import type { OutputFactory } from './output/output-sink.js';
import { createNodeSpawner } from './process/spawner.js';
import { Supervisor } from './supervisor/supervisor.js';

/** What the process gives boot: where logs go, how OS signals arrive. */
export interface BootEnvironment {
  logger: Logger;
  output: OutputFactory;
  env: NodeJS.ProcessEnv;
  /** Register a handler for an OS signal (main.ts owns `process`). */
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
}

/** Returns the exit status once every service is stopped after SIGTERM/SIGINT (or 1 when boot is impossible). */
export async function boot(opts: BootOptions, envt: BootEnvironment): Promise<number> {
  const log = envt.logger.child({ component: 'init:boot' });
  const bootStart = Date.now();
  await mkdir(opts.runDir, { recursive: true });
  const tree = await loadServiceTree(opts.sources);
  for (const p of tree.problems) log.error('service tree problem', { path: p.path, message: p.message });
  for (const [service, problems] of tree.failed) {
    for (const p of problems) log.error('service failed to load', { service, path: p.path, message: p.message });
  }
  if (!tree.services.has(opts.bundle)) {
    const err = tree.failed.has(opts.bundle) ? new Error(`bundle "${opts.bundle}" failed to load (see above)`) : new MissingBundleError(opts.bundle, opts.sources.join(', '));
    log.error('cannot boot', { bundle: opts.bundle, err: err.message });
    return 1;
  }
  log.info('service tree loaded', { sources: opts.sources, services: tree.services.size, failed: tree.failed.size, bundle: opts.bundle });

  const supervisor = new Supervisor(tree, {
    clock: systemClock,
    spawner: createNodeSpawner(),
    logger: envt.logger,
    output: envt.output,
    env: { ...envt.env, FORTROS_ROOT: opts.root },
  });
  let requests = 0;
  let shutdownRequested!: () => void;
  const shutdownWanted = new Promise<void>((resolve) => (shutdownRequested = resolve));
  const onStop = (signal: NodeJS.Signals) => (): void => {
    requests++;
    log.info('signal received', { signal, shutdownRequests: requests });
    void supervisor.shutdown({ hurry: requests > 1 });
    shutdownRequested();
  };
  envt.onSignal('SIGTERM', onStop('SIGTERM'));
  envt.onSignal('SIGINT', onStop('SIGINT'));
  envt.onSignal('SIGUSR1', () => supervisor.logStatus());

  supervisor.start();
  supervisor.startService(opts.bundle).then(
    () => log.info('boot complete', { bundle: opts.bundle, ms: Date.now() - bootStart }),
    (err: Error) => log.warn('boot incomplete', { bundle: opts.bundle, err: err.message }),
  );
  await shutdownWanted;
  await supervisor.stop();
  log.info('shutdown complete', {});
  return 0;
}
