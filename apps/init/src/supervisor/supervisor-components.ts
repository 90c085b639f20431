// What the Supervisor is given (its components) and what it emits: the types of supervisor.ts's interface.
import type { Logger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import type { Clock } from '../clock.js';
import type { HealthProber } from '../health/health-probes.js';
import type { OutputFactory } from '../output/output-sink.js';
import type { PipeMaker } from '../process/pipe.js';
import type { Spawner } from '../process/spawner.js';
import type { ServiceStateChange } from './transitions.js';

export interface SupervisorComponents {
  clock: Clock;
  spawner: Spawner;
  logger: Logger;
  output: OutputFactory;
  /** Base environment of services (default: init's own). */
  env?: NodeJS.ProcessEnv;
  /** Makes the pipes of log pipelines (default: pipe2 with O_CLOEXEC). */
  makePipe?: PipeMaker;
  /** The working directory of a longrun's `run` and `finish` (default: its source directory). */
  workDir?(def: ServiceDefinition): string;
  /** Runs health checks (default: real commands, sockets and HTTP requests, timed by `clock`). */
  prober?: HealthProber;
}

export interface SupervisorEvents {
  /** A service changed state (or, in the same state, its reason). */
  'service:state': [ServiceStateChange];
}

export interface CallOptions {
  signal?: AbortSignal;
}
