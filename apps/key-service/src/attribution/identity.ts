// Who a caller is once attributed: a service supervised by init or a workload run by the reconciler.
import { WORKLOAD_SUBJECT_PREFIX } from '../constants.js';

export type IdentityKind = 'service' | 'workload';

export interface Identity {
  kind: IdentityKind;
  /** Init's service name, or the workload id. */
  name: string;
  /** The supervised process the caller descends from (the service's or workload's main pid). */
  pid: number;
  /** The calling process itself (the kernel-reported peer pid). */
  callerPid?: number;
  /** For workloads: the purposes their spec lists (`keys`), when the directory knows them. */
  purposes?: readonly string[];
}

/** One supervised process as init (services) or the reconciler (workloads) sees it. */
export interface DirectoryEntry {
  /** Default `service`. */
  kind?: IdentityKind;
  name: string;
  /** The main pid that the supervisor spawned and has not reaped. */
  pid: number;
  /** Field 22 of /proc/PID/stat read by the supervisor right after spawning (clock ticks since boot). */
  startTime?: number;
  /** Workloads: the spec's `keys`. */
  purposes?: readonly string[];
}

/** Init's (and the reconciler's) view of supervised main pids. The lead provides it over init's gRPC. */
export interface ServiceDirectory {
  services(options?: { signal?: AbortSignal }): Promise<DirectoryEntry[]>;
}

/**
 * The name keys are derived for (`service` in the info string): a service's own name, or `workload.<id>`
 * for a workload, so the two namespaces cannot collide.
 */
export function keySubject(identity: Pick<Identity, 'kind' | 'name'>): string {
  return identity.kind === 'workload' ? `${WORKLOAD_SUBJECT_PREFIX}${identity.name}` : identity.name;
}

/** `service web` / `workload web`, for messages and logs. */
export function describeIdentity(identity: Pick<Identity, 'kind' | 'name'>): string {
  return `${identity.kind} ${identity.name}`;
}
