// The one interface every workload driver implements (process, oci, vm), and what a backend adds to the anchor.
import type { ObservedRun } from '../plan/planner.js';
import type { WorkloadDriverKind, WorkloadSpec } from '../spec.js';
import type { StateWatchHandlers } from './state-watch.js';

/** A run just started: the pid the driver watches and when it started (ms since the epoch). */
export interface StartedRun {
  pid: number;
  startedAt: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A driver runs workloads of one kind under anchors (README "Anchors"). Every method is safe to call from a fresh
 * instance over the state another instance left: nothing of a run lives only in memory.
 */
export interface WorkloadDriver {
  readonly kind: WorkloadDriverKind;
  /**
   * Starts `spec` and resolves once its anchor reports the workload's pid. An ended run of the same id is cleaned up
   * first; a live one is never doubled (DriverStartError). A spec the driver cannot run throws DriverStartError or
   * DriverSpecError naming the field: a reason for the workload, not a crash.
   */
  start(spec: WorkloadSpec, options?: CallOptions): Promise<StartedRun>;
  /** Stops the run gracefully, then kills it after the stop timeout; resolves when none of its processes is left. */
  stop(id: string, options?: CallOptions): Promise<void>;
  /** Stops the run if needed and forgets it (its state; its logs stay). */
  remove(id: string, options?: CallOptions): Promise<void>;
  /** Every run whose state this driver holds, running or ended: what a new reconciler adopts. */
  list(options?: CallOptions): Promise<Map<string, ObservedRun>>;
  /** The directory of a workload's log (s6-log / svlogd layout: `current`, `@<tai64n>.s`). */
  logDir(id: string): string;
  /** Calls `onChange` whenever a run's state may have changed (an exit): what list() returns is worth reading again. */
  watch?(handlers: StateWatchHandlers): { close(): void };
}

/** What a run is, to a backend: its id, the anchor's directory, and the workload's pid when it has one. */
export interface RunContext {
  id: string;
  dir: string;
  pid: number;
}

/** The kind-specific part of a driver: the command line the anchor runs, and how to stop and clean up a run. */
export interface DriverBackend {
  readonly kind: WorkloadDriverKind;
  /** The command (and environment) the anchor runs for `spec`; throws DriverSpecError / DriverStartError. */
  command(spec: WorkloadSpec, dir: string): Promise<{ argv: string[]; env: Record<string, string> }>;
  /** Resolves once the freshly started run is up as far as the backend can tell (a container created and started). */
  whenStarted?(run: RunContext, signal?: AbortSignal): Promise<void>;
  /** Asks the run to end (a signal, `runc kill`, ACPI powerdown). */
  requestStop(run: RunContext): Promise<void>;
  /** Ends the run now (SIGKILL). */
  kill(run: RunContext): Promise<void>;
  /** After the run ended: what the backend left behind (a container's state); idempotent. */
  cleanup(run: RunContext): Promise<void>;
}
