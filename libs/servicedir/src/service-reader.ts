// Reads one service definition directory (s6-rc source format) into a ServiceDefinition, its references to
// other services, and every problem found; never throws for a bad file. Synchronous, as fs-probe.ts says why.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOWN_SIGNAL_DEFAULT,
  HEALTH_INTERVAL_DEFAULT_MS,
  HEALTH_RETRIES_DEFAULT,
  HEALTH_START_PERIOD_DEFAULT_MS,
  HEALTH_TIMEOUT_DEFAULT_MS,
  MAX_ENV_VARS,
  MAX_SCRIPT_FILE_BYTES,
  MAX_SERVICES,
  MAX_SETTING_FILE_BYTES,
  MAX_SHEBANG_BYTES,
  RESTART_DELAY_MAX_DEFAULT_MS,
  SERVICE_NAME_PATTERN_TEXT,
  TIMEOUT_DOWN_DEFAULT_MS,
  TIMEOUT_KILL_DEFAULT_MS,
  TIMEOUT_UP_DEFAULT_MS,
} from './constants.js';
import { describeProbe, isExecutable, probe, quote, readBoundedText, readHead } from './fs-probe.js';
import { parseHealthCheck, parseHealthInterval, parseHealthRetries, parseHealthStartPeriod, parseHealthTimeout } from './health-settings.js';
import { isValidServiceName } from './names.js';
import { parseShebang, scriptHead } from './shebang.js';
import { parseEnvValue, parseMs, parseName, parseNameLines, parseNotificationFd, parseServiceType, parseSignal, type Parsed } from './settings.js';
import type { HealthProbe, LoadProblem, OneshotCommand, ServiceDefinition, ServiceType } from './types.js';

/** How a service names another: each kind is resolved, checked for cycles or propagated differently. */
export type RefKind = 'dependency' | 'content' | 'producer' | 'consumer';

/** One reference to another service, with the exact file that made it. */
export interface ServiceRef {
  name: string;
  kind: RefKind;
  file: string;
}

export interface ParsedService {
  def: ServiceDefinition;
  refs: ServiceRef[];
  problems: LoadProblem[];
}

/** A definition with every default applied (DESIGN §4; constants.ts). */
export function defaultDefinition(name: string, type: ServiceType, dir: string): ServiceDefinition {
  return {
    name,
    type,
    dir,
    dependencies: [],
    contents: [],
    timeoutUpMs: TIMEOUT_UP_DEFAULT_MS,
    timeoutDownMs: TIMEOUT_DOWN_DEFAULT_MS,
    timeoutKillMs: TIMEOUT_KILL_DEFAULT_MS,
    downSignal: DOWN_SIGNAL_DEFAULT,
    consumerFor: [],
    essential: false,
    env: {},
    envUnset: [],
    restartDelayMaxMs: RESTART_DELAY_MAX_DEFAULT_MS,
  };
}

/** Reads the files of one directory, collecting problems as it goes. */
class ServiceReader {
  readonly problems: LoadProblem[] = [];
  readonly refs: ServiceRef[] = [];

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly entries: ReadonlySet<string>,
      ) {}

  path(file: string): string {
    return join(this.dir, file);
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  problem(path: string, expected: string, got: string): void {
    this.problems.push({ service: this.name, path, message: `expected ${expected}, got ${got}` });
  }

  /** The text of `file`, or undefined when it is missing or unreadable (the latter recorded as a problem). */
  text(file: string, maxBytes = MAX_SETTING_FILE_BYTES): string | undefined {
    if (!this.has(file)) return undefined;
    const read = readBoundedText(this.path(file), maxBytes);
    if (read.ok) return read.text;
    this.problem(this.path(file), read.expected, read.got);
    return undefined;
  }

  /** A one-value setting: the parsed value, or `fallback` when missing or invalid (the latter recorded). */
  setting<T>(file: string, parse: (text: string) => Parsed<T>, fallback: T): T {
    const text = this.text(file);
    if (text === undefined) return fallback;
    const parsed = parse(text);
    if (parsed.ok) return parsed.value;
    this.problem(this.path(file), parsed.expected, parsed.got);
    return fallback;
  }

  /**
   * A program file (`run`, `finish`): its absolute path, and when it lacks the execute bit, the interpreter of
   * its `#!` line (s6-rc-compile makes such a file executable, so the kernel would run it through that line).
   * Undefined when missing (recorded if required) or unusable (recorded).
   */
  program(file: string, required: boolean): { path: string; interpreter?: string[] } | undefined {
    const path = this.path(file);
    if (!required && !this.has(file)) return undefined;
    const p = probe(path);
    if (isExecutable(p)) return { path };
    if (p.kind !== 'file') {
      this.problem(path, 'an executable file', describeProbe(p));
      return undefined;
    }
    const head = readHead(path, MAX_SHEBANG_BYTES);
    const shebang: Parsed<string[]> = head.ok ? parseShebang(head.text) : head;
    if (shebang.ok) return { path, interpreter: shebang.value };
    this.problem(path, `an executable file, or one with ${shebang.expected}`, `${describeProbe(p)} and ${shebang.got}`);
    return undefined;
  }

  /** A oneshot `up`/`down`: an executable program is executed; otherwise execline reads its text (s6-rc). */
  command(file: string): OneshotCommand | undefined {
    if (!this.has(file)) return undefined;
    const path = this.path(file);
    const p = probe(path);
    if (p.kind === 'missing') return undefined;
    if (isExecutable(p)) {
      const head = readHead(path, MAX_SHEBANG_BYTES);
      if (head.ok && scriptHead(head.text) !== 'other') return { kind: 'exec', path };
    }
    const script = this.text(file, MAX_SCRIPT_FILE_BYTES);
    return script === undefined ? undefined : { kind: 'execline', path, script };
  }

  /** A name list from `<base>` (one per line) and/or `<base>.d/NAME` (if `withDir`), recorded as references. */
  names(base: string, kind: RefKind, withDir = true): string[] {
    const found: string[] = [];
    const add = (name: string, file: string): void => {
      if (found.includes(name)) return;
      found.push(name);
      this.refs.push({ name, kind, file });
    };
    const text = this.text(base);
    if (text !== undefined) {
      const { names, invalid } = parseNameLines(text);
      for (const bad of invalid) this.problem(this.path(base), `one service name per line matching ${SERVICE_NAME_PATTERN_TEXT}`, quote(bad));
      for (const name of names) add(name, this.path(base));
    }
    for (const entry of withDir ? this.listDir(`${base}.d`) : []) {
      const file = this.path(join(`${base}.d`, entry));
      if (isValidServiceName(entry)) add(entry, file);
      else this.problem(file, `a file named after a service (${SERVICE_NAME_PATTERN_TEXT})`, quote(entry));
    }
    if (found.length > MAX_SERVICES) this.problem(this.path(base), `at most ${MAX_SERVICES} names`, `${found.length}`);
    return found;
  }

  /** Visible entries of a sub-directory, sorted; [] when missing; a non-directory is a problem. */
  listDir(sub: string): string[] {
    if (!this.has(sub)) return [];
    const path = this.path(sub);
    const p = probe(path);
    if (p.kind !== 'dir') {
      this.problem(path, 'a directory', describeProbe(p));
      return [];
    }
    try {
      return (readdirSync(path)).filter((e) => !e.startsWith('.')).sort();
    } catch (err) {
      this.problem(path, 'a readable directory', String((err as NodeJS.ErrnoException).code ?? err));
      return [];
    }
  }

  /** `env/NAME` files, as s6-envdir reads them. */
  env(def: ServiceDefinition): void {
    const entries = (this.listDir('env')).filter((e) => !e.includes('='));
    if (entries.length > MAX_ENV_VARS) {
      this.problem(this.path('env'), `at most ${MAX_ENV_VARS} variables`, `${entries.length}`);
      return;
    }
    const unset: string[] = [];
    for (const entry of entries) {
      const read = readBoundedText(join(this.dir, 'env', entry), MAX_SETTING_FILE_BYTES);
      if (!read.ok) {
        this.problem(join(this.dir, 'env', entry), read.expected, read.got);
        continue;
      }
      const value = parseEnvValue(read.text);
      if (value === undefined) unset.push(entry);
      else def.env[entry] = value;
    }
    def.envUnset = unset;
  }
}

function listEntries(dir: string): Set<string> | string {
  try {
    return new Set((readdirSync(dir)).filter((e) => !e.startsWith('.')));
  } catch (err) {
    return String((err as NodeJS.ErrnoException).code ?? err);
  }
}

/** The `health-*` files (ours): each is validated when present; they take effect with a `health-check` file. */
function readHealth(r: ServiceReader, def: ServiceDefinition): void {
  const probe = r.setting<HealthProbe | undefined>('health-check', parseHealthCheck, undefined);
  const intervalMs = r.setting('health-interval', parseHealthInterval, HEALTH_INTERVAL_DEFAULT_MS);
  const timeoutMs = r.setting('health-timeout', parseHealthTimeout, HEALTH_TIMEOUT_DEFAULT_MS);
  const retries = r.setting('health-retries', parseHealthRetries, HEALTH_RETRIES_DEFAULT);
  const startPeriodMs = r.setting('health-start-period', parseHealthStartPeriod, HEALTH_START_PERIOD_DEFAULT_MS);
  if (probe !== undefined) def.health = { probe, intervalMs, timeoutMs, retries, startPeriodMs };
}

/** Read the service directory `dir` as service `name`. */
export function readServiceDir(dir: string, name: string): ParsedService {
  const entries = listEntries(dir);
  if (typeof entries === 'string') {
    const message = `expected a readable service directory, got ${entries}`;
    return { def: defaultDefinition(name, 'longrun', dir), refs: [], problems: [{ service: name, path: dir, message }] };
  }
  const r = new ServiceReader(dir, name, entries);
  let type: ServiceType | undefined;
  if (!r.has('type')) {
    r.problem(r.path('type'), 'a file containing longrun, oneshot or bundle', 'no such file');
  } else {
    type = r.setting<ServiceType | undefined>('type', parseServiceType, undefined);
  }
  const def = defaultDefinition(name, type ?? 'longrun', dir);
  if (type === 'bundle') {
    def.contents = r.names('contents', 'content');
    def.essential = r.has('flag-essential');
    return { def, refs: r.refs, problems: r.problems };
  }
  def.dependencies = r.names('dependencies', 'dependency');
  if (type === undefined) return { def, refs: r.refs, problems: r.problems };

  def.timeoutUpMs = r.setting('timeout-up', parseMs, TIMEOUT_UP_DEFAULT_MS);
  def.timeoutDownMs = r.setting('timeout-down', parseMs, TIMEOUT_DOWN_DEFAULT_MS);
  def.timeoutKillMs = r.setting('timeout-kill', parseMs, TIMEOUT_KILL_DEFAULT_MS);
  def.downSignal = r.setting('down-signal', parseSignal, DOWN_SIGNAL_DEFAULT);
  def.essential = r.has('flag-essential');
  r.env(def);

  if (type === 'oneshot') {
    def.up = r.command('up');
    def.down = r.command('down');
    if (def.up === undefined) delete def.up;
    if (def.down === undefined) delete def.down;
    return { def, refs: r.refs, problems: r.problems };
  }
  const run = r.program('run', true);
  const finish = r.program('finish', false);
  def.run = run?.path;
  def.finish = finish?.path;
  def.runInterpreter = run?.interpreter;
  def.finishInterpreter = finish?.interpreter;
  def.notificationFd = r.setting<number | undefined>('notification-fd', parseNotificationFd, undefined);
  def.restartDelayMaxMs = r.setting('restart-delay-max', parseMs, RESTART_DELAY_MAX_DEFAULT_MS);
  readHealth(r, def);
  def.producerFor = r.setting<string | undefined>('producer-for', parseName, undefined);
  if (def.producerFor !== undefined) r.refs.push({ name: def.producerFor, kind: 'producer', file: r.path('producer-for') });
  def.consumerFor = r.names('consumer-for', 'consumer', false);
  def.pipelineName = r.setting<string | undefined>('pipeline-name', parseName, undefined);
  for (const key of ['run', 'finish', 'runInterpreter', 'finishInterpreter', 'notificationFd', 'producerFor', 'pipelineName'] as const) {
    if (def[key] === undefined) delete def[key];
  }
  return { def, refs: r.refs, problems: r.problems };
}
