// Booting: load the tree, start the bundle with its control API, logs, metrics and orphan reaper, supervise
// until told to shut down, then stop everything in reverse order and end as PID 1 must (reboot(2)) or exit.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LineSink, Logger } from '@fortros/log';
import { systemClock } from './clock.js';
import { loadBootTree, whyNotBootable } from './boot-tree.js';
import { REAP_INTERVAL_MS } from './constants.js';
import { BootTimeline } from './control/boot-timeline.js';
import type { ControlPlane } from './control/control-plane.js';
import { EventHub } from './control/event-hub.js';
import { PidStartTimes } from './control/pid-resolver.js';
import { LogStore } from './log/index.js';
import type { BootOptions } from './options.js';
import { createLogStoreOutput } from './output/log-output.js';
import type { OutputFactory } from './output/output-sink.js';
import { createStderrOutput } from './output/stderr-output.js';
import { detectContainer, kernelPower, type PowerMode } from './pid1/power.js';
import { becomeSubreaper, Reaper } from './pid1/reaper.js';
import { trackingSpawner } from './pid1/tracking-spawner.js';
import { createPosixSpawner } from './process/posix-spawner.js';
import { SuperviseDirs } from './s6compat/supervise-dirs.js';
import { Supervisor, type ReloadResult } from './supervisor/supervisor.js';

/** Under the run directory: one s6-compatible service directory per longrun (s6compat/). */
export const S6_SERVICE_DIRS = 'service';

/** What the process gives boot: where init's own records go, how OS signals arrive. */
export interface BootEnvironment {
  logger: Logger;
  /** init's stderr sink (shared with `--log stderr` service output). */
  sink: LineSink;
  env: NodeJS.ProcessEnv;
  /** Register a handler for an OS signal (main.ts owns `process`). */
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
}

/** Returns the exit status once every service is stopped. As PID 1 outside a container it does not return: it
 * ends in reboot(2). A tree that cannot boot never makes it return (see bootBundle). */
export async function boot(opts: BootOptions, envt: BootEnvironment): Promise<number> {
  const log = envt.logger.child({ component: 'init:boot' });
  const bootStart = Date.now();
  await mkdir(opts.runDir, { recursive: true, mode: 0o755 });
  log.info('loading the service tree', { sources: opts.sources });
  const tree = await loadBootTree(opts.sources, opts.bundle, log);
  /** The tree last loaded (at boot or by a reload): whether the bundle can boot is read from it. */
  let latest = tree;
  for (const [service, problems] of tree.failed) {
    for (const p of problems) log.error('service failed to load', { service, path: p.path, message: p.message });
  }
  log.info('service tree loaded', { sources: opts.sources, services: tree.services.size, failed: tree.failed.size, bundle: opts.bundle });

  // ---- components ----
  const logs = opts.log === 'stderr' ? undefined : new LogStore({ root: opts.root, output: opts.log, maxFileBytes: opts.logMaxBytes, maxFiles: opts.logMaxFiles, logger: envt.logger });
  const output: OutputFactory = logs ? createLogStoreOutput(logs) : createStderrOutput(envt.sink);
  const ownPids = new Set<number>();
  const spawner = createPosixSpawner(); // posix_spawn: no fork of init's heap; init collects the exits (SIGCHLD)
  const supervisor: Supervisor = new Supervisor(tree, {
    clock: systemClock,
    spawner: trackingSpawner(spawner, ownPids),
    logger: envt.logger,
    output,
    env: { ...envt.env, FORTROS_ROOT: opts.root },
    workDir: (def): string => s6.workDir(def),
  });
  const s6: SuperviseDirs = new SuperviseDirs({
    base: join(opts.runDir, S6_SERVICE_DIRS),
    control: {
      start: (n): Promise<unknown> => supervisor.startService(n),
      stop: (n): Promise<unknown> => supervisor.stopService(n),
      restart: (n): Promise<unknown> => supervisor.restartService(n),
      signal: (n, sig): Promise<unknown> => supervisor.signalService(n, sig),
    },
    log: envt.logger.child({ component: 'init:s6compat' }),
    nowMs: () => Date.now(),
  });
  // Written once the loop turn that changed the state is over (so a spawn's pid, set after the state event, is in),
  // all together, after that turn's spawns: s6 status files, and forgetting the start times of pids no service
  // holds any more (so the map stays bounded), one snapshot per turn.
  const s6Pending = new Set<string>();
  let pidGone = false;
  const afterTurn = (): void => {
    const now = supervisor.snapshot();
    const known = new Set(now.map((s) => s.name));
    for (const n of s6Pending) if (known.has(n)) s6.update(supervisor.status(n));
    s6Pending.clear();
    if (pidGone) pidTimes.retain(new Set(now.map((s) => s.pid)));
    pidGone = false;
  };
  const s6Update = (name: string): void => {
    if (s6Pending.size === 0) setImmediate(afterTurn);
    s6Pending.add(name);
  };
  const hub = new EventHub();
  const timeline = new BootTimeline(bootStart);
  const pidTimes = new PidStartTimes();
  supervisor.on('service:state', (change) => {
    s6Update(change.name);
    timeline.note(change);
    hub.publish(change);
    if (change.pid > 0) void pidTimes.record(change.pid);
    else pidGone = true; // a process went away
  });

  let mode: PowerMode = 'poweroff';
  let requests = 0;
  let shutdownRequested!: () => void;
  const shutdownWanted = new Promise<void>((resolve) => (shutdownRequested = resolve));
  const requestShutdown = (m: PowerMode, why: string): void => {
    requests++;
    if (requests === 1) mode = m;
    log.info('shutdown requested', { why, mode, requests });
    void supervisor.shutdown({ hurry: requests > 1 });
    shutdownRequested();
  };

  const subreaper = becomeSubreaper();
  const reaper = new Reaper({ isOwnChild: (pid) => ownPids.has(pid), log: envt.logger.child({ component: 'init:reaper' }) });
  if (!subreaper) log.warn('not a child subreaper: orphans of services are re-parented elsewhere', {});
  // own children first (their exits go to the supervisor), then orphans (the reaper leaves own children alone)
  const reapNow = (): void => {
    spawner.collect();
    void reaper.reap().catch((err: Error) => log.error('reaping failed', { err }));
  };
  const reapTimer = setInterval(reapNow, REAP_INTERVAL_MS);

  // A bundle that cannot boot (broken or missing tree) leaves init up, saying why, with its control API: a
  // reload (SIGHUP or Reload) that loads a fixed tree boots it then. As PID 1, init must never exit over a tree.
  let booted = false;
  const bootBundle = (): void => {
    if (booted) return;
    const why = whyNotBootable(latest, opts.bundle);
    if (why !== undefined) {
      log.error('cannot boot', { bundle: opts.bundle, err: why });
      return;
    }
    booted = true;
    supervisor.startService(opts.bundle).then(
      () => {
        timeline.complete(Date.now());
        log.info('boot complete', { bundle: opts.bundle, ms: Date.now() - bootStart });
      },
      (err: Error) => {
        timeline.complete(Date.now());
        log.warn('boot incomplete', { bundle: opts.bundle, err: err.message });
      },
    );
  };

  /** Load the tree again and adopt it (SIGHUP, fortctl reload); boots the bundle if it could not boot before. */
  const reload = async (): Promise<ReloadResult & { cannotBoot?: string }> => {
    log.info('reloading the service tree', { sources: opts.sources });
    try {
      const next = await loadBootTree(opts.sources, opts.bundle, log);
      latest = next;
      const r = await supervisor.reload(next);
      log.info('reload done', { added: r.added, removed: r.removed, changed: r.changed, failed: r.failed.map((f) => f.name) });
      bootBundle(); // a tree that could not boot was fixed: boot it now
      return { ...r, cannotBoot: booted ? undefined : whyNotBootable(latest, opts.bundle) };
    } catch (err) {
      log.error('reload failed', { err: (err as Error).message });
      throw err;
    }
  };

  envt.onSignal('SIGTERM', () => requestShutdown('poweroff', 'SIGTERM'));
  envt.onSignal('SIGINT', () => requestShutdown('reboot', 'SIGINT'));
  envt.onSignal('SIGUSR1', () => supervisor.logStatus());
  envt.onSignal('SIGHUP', () => void reload().catch(() => undefined));
  envt.onSignal('SIGCHLD', reapNow);

  // ---- run ----
  // The bundle's first services are spawned before anything they do not need is loaded: the control API and the
  // metrics (gRPC, the .proto files, prom-client) are imported and served right after, while the services boot.
  supervisor.start();
  bootBundle();
  for (const s of supervisor.snapshot()) s6Update(s.name); // every longrun's s6 directory, after the first spawns
  let controlFailed: Error | undefined;
  const control: Promise<ControlPlane | undefined> = import('./control/control-plane.js')
    .then((m) =>
      m.startControlPlane(opts, {
        supervisor,
        hub,
        timeline,
        logs,
        pidTimes,
        logger: envt.logger,
        requestShutdown: (m) => requestShutdown(m, 'control API'),
        reload: () => reload(),
      }),
    )
    .catch((err: Error) => {
      controlFailed = err;
      log.error('control API failed to start', { err });
      requestShutdown('poweroff', 'control API failed to start');
      return undefined;
    });
  await shutdownWanted;
  await supervisor.stop();
  s6.close();
  clearInterval(reapTimer);
  await reaper.reap();
  await (await control)?.stop();
  await logs?.close();
  log.info('shutdown complete', { mode, orphansReaped: reaper.count });
  if (controlFailed) throw controlFailed; // as before the control API came up after the first spawns: init fails

  if (process.pid === 1 && !detectContainer(opts.container)) {
    const errno = kernelPower(mode);
    log.error('reboot(2) failed; init stays up', { mode, errno });
    await new Promise<never>(() => undefined); // PID 1 must never exit
  }
  return 0;
}
