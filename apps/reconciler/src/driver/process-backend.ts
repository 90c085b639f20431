// The `process` driver's backend: the command in its own session and process group, with its env, optional
// namespaces (util-linux unshare) and optional uid/gid (util-linux setpriv).
import { accessSync, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATH } from '../constants.js';
import { DriverSpecError, DriverStartError } from '../errors.js';
import type { ProcessWorkloadSpec, WorkloadSpec } from '../spec.js';
import { signalGroup } from './anchored-driver.js';
import type { DriverBackend, RunContext } from './driver.js';

/** unshare(1) flags per namespace name; `pid` needs a fork so the workload is PID 1 of the new namespace. */
const NAMESPACE_FLAGS: Record<string, string[]> = {
  mount: ['--mount'],
  uts: ['--uts'],
  ipc: ['--ipc'],
  net: ['--net'],
  pid: ['--pid', '--fork', '--kill-child', '--mount-proc'],
  user: ['--user', '--map-root-user'],
  cgroup: ['--cgroup'],
};

export interface ProcessBackendOptions {
  unshare?: string;
  setpriv?: string;
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `command` as execvp would find it on `path`, or undefined. */
export function resolveCommand(command: string, path: string): string | undefined {
  if (command.includes('/')) return executable(command) ? command : undefined;
  for (const dir of path.split(':')) {
    const candidate = join(dir || '.', command);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export class ProcessBackend implements DriverBackend {
  readonly kind = 'process' as const;
  private readonly unshare: string;
  private readonly setpriv: string;

  constructor(options: ProcessBackendOptions = {}) {
    this.unshare = options.unshare ?? '/usr/bin/unshare';
    this.setpriv = options.setpriv ?? '/usr/bin/setpriv';
  }

  async command(input: WorkloadSpec): Promise<{ argv: string[]; env: Record<string, string> }> {
    const spec = input as ProcessWorkloadSpec;
    const env = { PATH: DEFAULT_PATH, ...spec.env };
    const command = resolveCommand(spec.command, env.PATH);
    if (command === undefined) throw new DriverStartError(spec.id, `command not found: ${spec.command} (PATH ${env.PATH})`);
    const argv: string[] = [];
    if (spec.namespaces !== undefined && spec.namespaces.length > 0) {
      argv.push(this.unshare);
      for (const ns of spec.namespaces) {
        const flags = NAMESPACE_FLAGS[ns];
        if (flags === undefined) throw new DriverSpecError(spec.id, 'namespaces', `expected one of ${Object.keys(NAMESPACE_FLAGS).join(', ')}, got ${JSON.stringify(ns)}`);
        argv.push(...flags);
      }
      argv.push('--');
    }
    if (spec.uid !== undefined || spec.gid !== undefined) {
      argv.push(this.setpriv);
      if (spec.uid !== undefined) argv.push(`--reuid=${checkId(spec.id, 'uid', spec.uid)}`);
      if (spec.gid !== undefined) argv.push(`--regid=${checkId(spec.id, 'gid', spec.gid)}`, '--clear-groups');
      argv.push('--');
    }
    argv.push(command, ...spec.args);
    return { argv, env };
  }

  async requestStop(run: RunContext): Promise<void> {
    signalGroup(run.pid, 'SIGTERM');
  }

  async kill(run: RunContext): Promise<void> {
    signalGroup(run.pid, 'SIGKILL');
  }

  async cleanup(): Promise<void> {}
}

function checkId(workload: string, field: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 0xfffffffe) {
    throw new DriverSpecError(workload, field, `expected an integer 0-4294967294, got ${JSON.stringify(value)}`);
  }
  return value as number;
}
