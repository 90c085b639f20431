// The control plane: init's gRPC control API on its socket and the opt-in metrics endpoint. Boot imports this module
// only once the first services are spawned (DESIGN §4), so gRPC, the .proto files and prom-client never delay them.
import { basename, join } from 'node:path';
import { NODE_PATHS } from '@fortros/core';
import { MetricsServer, newMetricsRegistry } from '@fortros/daemon';
import type { Logger } from '@fortros/log';
import { InitV1 } from '@fortros/proto';
import { defineService, RpcServer } from '@fortros/rpc';
import type { LogStore } from '../log/index.js';
import type { BootOptions } from '../options.js';
import type { PowerMode } from '../pid1/power.js';
import type { ReloadResult, Supervisor } from '../supervisor/supervisor.js';
import type { BootTimeline } from './boot-timeline.js';
import type { EventHub } from './event-hub.js';
import { initHandlers } from './init-api.js';
import { registerInitMetrics } from './metrics.js';
import type { PidStartTimes } from './pid-resolver.js';

/** What the control API and the metrics read and drive: boot's components and verbs. */
export interface ControlPlaneComponents {
  supervisor: Supervisor;
  hub: EventHub;
  timeline: BootTimeline;
  logs: LogStore | undefined;
  pidTimes: PidStartTimes;
  logger: Logger;
  requestShutdown(mode: PowerMode): void;
  reload(): Promise<ReloadResult & { cannotBoot?: string }>;
}

export interface ControlPlane {
  stop(): Promise<void>;
}

/** Serves the control API (and metrics when `opts.metrics` is set); resolves once both are listening. */
export async function startControlPlane(opts: Pick<BootOptions, 'runDir' | 'metrics'>, c: ControlPlaneComponents): Promise<ControlPlane> {
  const { supervisor, hub, timeline, logs, pidTimes } = c;
  const rpc = new RpcServer({
    socketPath: join(opts.runDir, basename(NODE_PATHS.initSocket)),
    logger: c.logger,
    services: [defineService(InitV1.loadInitApi(), initHandlers({ supervisor, hub, timeline, logs, pidTimes, requestShutdown: c.requestShutdown, reload: c.reload }))],
  });
  let metrics: MetricsServer | undefined;
  if (opts.metrics) {
    const registry = newMetricsRegistry('fortros_init_');
    registerInitMetrics(registry, { supervisor, timeline });
    metrics = new MetricsServer({ registry, logger: c.logger }, opts.metrics);
  }
  await rpc.start();
  try {
    await metrics?.start();
  } catch (err) {
    await rpc.stop();
    throw err;
  }
  return {
    stop: async () => {
      await metrics?.stop();
      await rpc.stop();
    },
  };
}
