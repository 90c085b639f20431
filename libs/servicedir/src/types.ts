// The compiled service tree: what the s6-rc source format means once parsed and validated.
// This file is the contract between the parser (this lib) and its users (fortros-init).

export type ServiceType = 'longrun' | 'oneshot' | 'bundle';

/**
 * A oneshot's `up`/`down`. As s6-rc does, its text is read by execline's lexer (`execlineb -P`, kind
 * `execline`), unless the file is an executable program of its own (execute bit and a `#!` line or an ELF
 * header: kind `exec`), which is executed.
 */
export type OneshotCommand =
  | { kind: 'exec'; path: string }
  | { kind: 'execline'; path: string; script: string };

export interface ServiceDefinition {
  /** Service name (for template instances, `name@param`). */
  name: string;
  type: ServiceType;
  /** Absolute path of the source directory (for an instance, its template's directory). */
  dir: string;
  /** longrun: absolute path of the `run` file (executable, or see `runInterpreter`). */
  run?: string;
  /** longrun: absolute path of the `finish` file, if any. */
  finish?: string;
  /**
   * Set when `run` lacks the execute bit (s6-rc-compile copies it with mode 0755 and executes the copy): the
   * interpreter and optional argument of its `#!` line. init runs `[...runInterpreter, run, ...args]`, the argv
   * execve(2) builds for the executable copy.
   */
  runInterpreter?: string[];
  /** The same for `finish`. */
  finishInterpreter?: string[];
  /** oneshot commands. */
  up?: OneshotCommand;
  down?: OneshotCommand;
  /**
   * Direct dependencies (already expanded: a dependency naming a bundle is kept as the bundle name). A pipeline
   * producer also depends on its consumer (`producer-for`), as in s6-rc.
   */
  dependencies: string[];
  /** bundle: direct members. */
  contents: string[];
  /** longrun: fd on which the service writes a newline when ready; undefined = ready when spawned. */
  notificationFd?: number;
  /** ms; 0 = no limit. */
  timeoutUpMs: number;
  timeoutDownMs: number;
  /** ms after the down signal before SIGKILL to the process group; 0 = never. */
  timeoutKillMs: number;
  downSignal: NodeJS.Signals;
  /** Log pipelines (longrun only). */
  producerFor?: string;
  consumerFor: string[];
  pipelineName?: string;
  /** `flag-essential`: never stopped by a bulk stop. */
  essential: boolean;
  /** From `env/NAME` files (first line, trailing newline stripped, as s6-envdir does). */
  env: Record<string, string>;
  /** Variables whose `env/NAME` file is empty: s6-envdir removes them from the inherited environment. */
  envUnset?: string[];
  /** ms cap of the restart backoff (`restart-delay-max`). */
  restartDelayMaxMs: number;
  /** longrun: the `health-*` files of our own; undefined without a `health-check` file. */
  health?: HealthSpec;
  /** Set for an instance of a `name@` template. The param is passed to `run`/`finish`/`up`/`down` as $1. */
  template?: { template: string; param: string };
}

/** What `health-check` asks: run a command (`/bin/sh -c`), connect to a TCP port, or GET a URL. */
export type HealthProbe = { kind: 'exec'; command: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: string };

export interface HealthSpec {
  probe: HealthProbe;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failures before the service is restarted. */
  retries: number;
  startPeriodMs: number;
}

/** One problem found while loading; `path` is the exact file (or directory) at fault. */
export interface LoadProblem {
  /** The service the problem belongs to (undefined for tree-level problems such as an unreadable source dir). */
  service?: string;
  path: string;
  message: string;
}

export interface CompiledTree {
  /** Absolute path of the source directory (the first one when several were given; see `sources`). */
  source: string;
  /** Absolute paths of every source directory, in the order given. */
  sources?: string[];
  /** Every service that loaded and validated, including template instances that were referenced. */
  services: Map<string, ServiceDefinition>;
  /**
   * Services that exist but cannot be used, with every reason: their own files are invalid, a dependency is
   * missing or failed, or they are part of a cycle. They are never started; the rest of the tree still is.
   */
  failed: Map<string, LoadProblem[]>;
  /** Problems that belong to no single service. */
  problems: LoadProblem[];
  /** Valid `name@` templates by template name (e.g. `getty@`), for instantiating `getty@tty1` later. */
  templates?: Map<string, ServiceDefinition>;
}
