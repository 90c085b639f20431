// The workload spec as the maintainer stores it (DESIGN §9), already validated and normalised there
// (apps/maintainer/src/org/workload-spec.ts); the reconciler only reads it.

export type RestartPolicy = 'always' | 'on-failure' | 'never';
export type Placement = { nodes: string[] } | { selector: Record<string, string>; replicas: number };

interface SpecBase {
  id: string;
  restart: RestartPolicy;
  placement: Placement;
  keys: string[];
}

export interface ProcessWorkloadSpec extends SpecBase {
  driver: 'process';
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Run as this uid / gid (else as the reconciler's). */
  uid?: number;
  gid?: number;
  /** Namespaces to unshare: any of mount, uts, ipc, net, pid, user, cgroup. */
  namespaces?: string[];
}

export interface OciWorkloadSpec extends SpecBase {
  driver: 'oci';
  bundle?: string;
  image?: string;
  command?: string;
  args: string[];
  env: Record<string, string>;
}

export interface VmWorkloadSpec extends SpecBase {
  driver: 'vm';
  kernel: string;
  disk?: string;
  initrd?: string;
  /** Kernel command line (default: console on the first serial port). */
  append?: string;
  memoryMiB: number;
  cpus: number;
}

export type WorkloadSpec = ProcessWorkloadSpec | OciWorkloadSpec | VmWorkloadSpec;
export type WorkloadDriverKind = WorkloadSpec['driver'];
