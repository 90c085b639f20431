// The `vm` driver's backend: qemu-system-x86_64 under the anchor, KVM where /dev/kvm works else TCG, the serial
// console on stdout (so in the workload log), QMP on a socket in the anchor's directory for ACPI powerdown.
import { accessSync, constants as fsConstants } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PATH } from '../constants.js';
import { DriverSpecError } from '../errors.js';
import type { VmWorkloadSpec, WorkloadSpec } from '../spec.js';
import { signalGroup } from './anchored-driver.js';
import type { DriverBackend, RunContext } from './driver.js';
import { qmpExecute } from './qmp.js';

export type Accelerator = 'auto' | 'kvm' | 'tcg';

export interface VmBackendOptions {
  qemu?: string;
  /** `auto`: KVM when /dev/kvm can be opened read-write, else TCG. */
  accel?: Accelerator;
}

/** Kernel command line when the spec gives none: the console on the first serial port, reboot = end. */
export const DEFAULT_APPEND = 'console=ttyS0 panic=-1';

export function pickAccelerator(accel: Accelerator, kvmDevice = '/dev/kvm'): 'kvm' | 'tcg' {
  if (accel !== 'auto') return accel;
  try {
    accessSync(kvmDevice, fsConstants.R_OK | fsConstants.W_OK);
    return 'kvm';
  } catch {
    return 'tcg';
  }
}

export class VmBackend implements DriverBackend {
  readonly kind = 'vm' as const;
  private readonly qemu: string;
  private readonly accel: 'kvm' | 'tcg';

  constructor(options: VmBackendOptions = {}) {
    this.qemu = options.qemu ?? 'qemu-system-x86_64';
    this.accel = pickAccelerator(options.accel ?? 'auto');
  }

  async command(input: WorkloadSpec, dir: string): Promise<{ argv: string[]; env: Record<string, string> }> {
    const spec = input as VmWorkloadSpec;
    for (const field of ['kernel', 'initrd', 'disk'] as const) {
      const path = spec[field];
      if (path === undefined) continue;
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile()) throw new DriverSpecError(spec.id, field, `${path} is not a file`);
    }
    const argv = [
      this.qemu,
      '-name', spec.id,
      '-accel', this.accel,
      '-m', String(spec.memoryMiB),
      '-smp', String(spec.cpus),
      '-kernel', spec.kernel,
      ...(spec.initrd !== undefined ? ['-initrd', spec.initrd] : []),
      '-append', spec.append ?? DEFAULT_APPEND,
      ...(spec.disk !== undefined ? ['-drive', `file=${spec.disk.replace(/,/g, ',,')},if=virtio,format=raw`] : []),
      '-nodefaults',
      '-display', 'none',
      '-serial', 'stdio',
      '-no-reboot',
      '-qmp', `unix:${this.qmpSocket(dir)},server=on,wait=off`,
    ];
    return { argv, env: { PATH: DEFAULT_PATH } };
  }

  /** ACPI powerdown: the guest shuts down if it listens for the power button; else kill() after the stop timeout. */
  async requestStop(run: RunContext): Promise<void> {
    await qmpExecute(this.qmpSocket(run.dir), 'system_powerdown');
  }

  async kill(run: RunContext): Promise<void> {
    signalGroup(run.pid, 'SIGKILL');
  }

  async cleanup(): Promise<void> {}

  private qmpSocket(dir: string): string {
    return join(dir, 'qmp.sock');
  }
}
