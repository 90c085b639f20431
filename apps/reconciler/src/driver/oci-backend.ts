// The `oci` driver's backend: runc in the foreground under the anchor, with a bundle generated in the anchor's
// directory (README "oci: why runc"). Containers are named `<node prefix>-<workload id>`.
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANCHOR_POLL_MS, ANCHOR_START_TIMEOUT_MS, CONTAINER_NAME_MAX, DEFAULT_PATH } from '../constants.js';
import { DriverSpecError } from '../errors.js';
import type { OciWorkloadSpec, WorkloadSpec } from '../spec.js';
import { signalGroup } from './anchored-driver.js';
import type { DriverBackend, RunContext } from './driver.js';
import { applySpec, configForRootfs } from './oci-config.js';

export interface OciBackendOptions {
  /** runc (Debian package runc). */
  runtime?: string;
  /** runc's state directory (`--root`); node-unique when several nodes share a host. */
  runtimeRoot: string;
  /** Prefix of container names, unique to the node: `<prefix>-<workload id>`. */
  namePrefix: string;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class OciBackend implements DriverBackend {
  readonly kind = 'oci' as const;
  private readonly runtime: string;
  private readonly runtimeRoot: string;
  private readonly namePrefix: string;

  constructor(options: OciBackendOptions) {
    if (!NAME_PATTERN.test(options.namePrefix)) throw new TypeError(`namePrefix: expected [A-Za-z0-9][A-Za-z0-9_.-]*, got ${JSON.stringify(options.namePrefix)}`);
    this.runtime = options.runtime ?? 'runc';
    this.runtimeRoot = options.runtimeRoot;
    this.namePrefix = options.namePrefix;
  }

  containerName(id: string): string {
    const name = `${this.namePrefix}-${id}`.replace(/@/g, '_');
    if (name.length > CONTAINER_NAME_MAX) throw new DriverSpecError(id, 'id', `container name ${name} is longer than ${CONTAINER_NAME_MAX}`);
    return name;
  }

  async command(input: WorkloadSpec, dir: string): Promise<{ argv: string[]; env: Record<string, string> }> {
    const spec = input as OciWorkloadSpec;
    let config: Record<string, unknown>;
    let rootPath: string;
    if (spec.bundle !== undefined) {
      const file = join(spec.bundle, 'config.json');
      try {
        config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      } catch (err) {
        throw new DriverSpecError(spec.id, 'bundle', `cannot read ${file}: ${(err as Error).message}`);
      }
      const root = (config.root as { path?: unknown } | undefined)?.path;
      if (typeof root !== 'string') throw new DriverSpecError(spec.id, 'bundle', `${file}: root.path: expected a path, got ${JSON.stringify(root)}`);
      rootPath = isAbsolute(root) ? root : resolve(spec.bundle, root);
    } else if (spec.image !== undefined) {
      rootPath = spec.image;
      config = configForRootfs(rootPath, spec.id.slice(0, 63));
    } else {
      throw new DriverSpecError(spec.id, 'bundle', 'expected exactly one of bundle or image, got neither');
    }
    const rootStat = await stat(rootPath).catch(() => undefined);
    if (!rootStat?.isDirectory()) throw new DriverSpecError(spec.id, spec.image !== undefined ? 'image' : 'bundle', `${rootPath} is not a directory`);
    const bundle = join(dir, 'bundle');
    await mkdir(bundle, { recursive: true, mode: 0o700 });
    await writeFile(join(bundle, 'config.json'), JSON.stringify(applySpec(config, spec, rootPath), null, 1), { mode: 0o600 });
    return { argv: [this.runtime, '--root', this.runtimeRoot, 'run', '--bundle', bundle, this.containerName(spec.id)], env: { PATH: DEFAULT_PATH } };
  }

  /** `runc run` has created and started the container (or it already ended), polled up to the start timeout. */
  async whenStarted(run: RunContext, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + ANCHOR_START_TIMEOUT_MS;
    while (Date.now() < deadline && isRunning(run.pid)) {
      const { stdout, exitCode } = await execa(this.runtime, ['--root', this.runtimeRoot, 'state', this.containerName(run.id)], { reject: false, stdin: 'ignore', env: { PATH: DEFAULT_PATH }, cancelSignal: signal });
      if (exitCode === 0 && /"status":\s*"(running|stopped)"/.test(stdout)) return;
      await sleep(ANCHOR_POLL_MS, undefined, { signal });
    }
  }

  async requestStop(run: RunContext): Promise<void> {
    await this.runc(['kill', this.containerName(run.id), 'TERM']);
  }

  async kill(run: RunContext): Promise<void> {
    await this.runc(['kill', this.containerName(run.id), 'KILL']);
    // runc itself, should it not have ended with its container.
    signalGroup(run.pid, 'SIGKILL');
  }

  async cleanup(run: RunContext): Promise<void> {
    await this.runc(['delete', '--force', this.containerName(run.id)]);
  }

  /** A runc call whose failure (a container already gone) is not an error here. */
  private async runc(args: string[]): Promise<void> {
    await execa(this.runtime, ['--root', this.runtimeRoot, ...args], { reject: false, timeout: 10_000, stdin: 'ignore', env: { PATH: DEFAULT_PATH } });
  }
}
