// Workload specs (DESIGN §9): the types, and one validator that normalises a spec or names the bad field.
import {
  WORKLOAD_ARGS_MAX,
  WORKLOAD_ENV_MAX,
  WORKLOAD_ID_MAX,
  WORKLOAD_KEYS_MAX,
  WORKLOAD_PLACEMENT_NODES_MAX,
  WORKLOAD_REPLICAS_MAX,
  WORKLOAD_VM_CPUS_DEFAULT,
  WORKLOAD_VM_CPUS_MAX,
  WORKLOAD_VM_MEMORY_DEFAULT_MIB,
  WORKLOAD_VM_MEMORY_MAX_MIB,
  WORKLOAD_VM_MEMORY_MIN_MIB,
} from './constants.js';
import { WorkloadSpecError } from './errors.js';
import {
  type Fail,
  expectAbsolutePath,
  expectArray,
  expectInt,
  expectLabels,
  expectName,
  expectObject,
  expectOneOf,
  expectStringMap,
  expectText,
  expectUniqueArray,
  rejectUnknown,
  show,
} from './check.js';

export const WORKLOAD_DRIVERS = ['process', 'oci', 'vm'] as const;
export type WorkloadDriver = (typeof WORKLOAD_DRIVERS)[number];
export const RESTART_POLICIES = ['always', 'on-failure', 'never'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** Where a workload runs: an explicit node list, or `replicas` nodes among those whose labels match `selector`. */
export type Placement = { nodes: string[] } | { selector: Record<string, string>; replicas: number };

interface SpecBase {
  id: string;
  restart: RestartPolicy;
  placement: Placement;
  /** Key purposes the workload may derive under its own identity. */
  keys: string[];
}

/** Namespaces a process workload may unshare (util-linux `unshare`). */
export const WORKLOAD_NAMESPACES = ['mount', 'uts', 'ipc', 'net', 'pid', 'user', 'cgroup'] as const;
export type WorkloadNamespace = (typeof WORKLOAD_NAMESPACES)[number];

/** `process`: `command` (required) run with `args` and `env` in its own process group. */
export interface ProcessWorkloadSpec extends SpecBase {
  driver: 'process';
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Run as this uid / gid (else as the reconciler's). */
  uid?: number;
  gid?: number;
  /** Namespaces to unshare. */
  namespaces?: WorkloadNamespace[];
}

/** `oci`: exactly one of `bundle` (an OCI bundle dir) or `image` (a rootfs path); `command` overrides the bundle's. */
export interface OciWorkloadSpec extends SpecBase {
  driver: 'oci';
  bundle?: string;
  image?: string;
  command?: string;
  args: string[];
  env: Record<string, string>;
}

/** `vm`: a kernel, an optional disk, memory and vCPUs; no command, args or env. */
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

/** A normalised workload spec: every default filled in, nothing unknown. */
export type WorkloadSpec = ProcessWorkloadSpec | OciWorkloadSpec | VmWorkloadSpec;

const COMMON_FIELDS = ['id', 'driver', 'restart', 'placement', 'keys'] as const;
const DRIVER_FIELDS: Record<WorkloadDriver, readonly string[]> = {
  process: ['command', 'args', 'env', 'uid', 'gid', 'namespaces'],
  oci: ['bundle', 'image', 'command', 'args', 'env'],
  vm: ['kernel', 'disk', 'initrd', 'append', 'memoryMiB', 'cpus'],
};
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const fail: Fail = (field, reason) => {
  throw new WorkloadSpecError(field, reason);
};

/** Checks `input` (parsed JSON) against DESIGN §9 and returns it normalised; throws WorkloadSpecError naming the field. */
export function validateWorkloadSpec(input: unknown): WorkloadSpec {
  const raw = expectObject(input, 'spec', fail);
  const driver = expectOneOf(raw.driver, WORKLOAD_DRIVERS, 'driver', fail);
  for (const key of Object.keys(raw)) {
    if ((COMMON_FIELDS as readonly string[]).includes(key) || DRIVER_FIELDS[driver].includes(key)) continue;
    const owner = WORKLOAD_DRIVERS.find((d) => DRIVER_FIELDS[d].includes(key));
    fail(key, owner === undefined ? 'unknown field' : `not a field of driver ${driver}`);
  }
  const base: SpecBase = {
    id: expectName(raw.id, 'id', fail),
    restart: raw.restart === undefined ? 'always' : expectOneOf(raw.restart, RESTART_POLICIES, 'restart', fail),
    placement: validatePlacement(raw.placement),
    keys: raw.keys === undefined ? [] : expectUniqueArray(raw.keys, 'keys', WORKLOAD_KEYS_MAX, fail, (v, p) => expectName(v, p, fail)),
  };
  switch (driver) {
    case 'process': {
      const spec: ProcessWorkloadSpec = { ...base, driver, command: expectText(raw.command, 'command', fail), args: validateArgs(raw.args), env: validateEnv(raw.env) };
      if (raw.uid !== undefined) spec.uid = expectInt(raw.uid, 'uid', 0, WORKLOAD_ID_MAX, fail);
      if (raw.gid !== undefined) spec.gid = expectInt(raw.gid, 'gid', 0, WORKLOAD_ID_MAX, fail);
      if (raw.namespaces !== undefined) {
        spec.namespaces = expectUniqueArray(raw.namespaces, 'namespaces', WORKLOAD_NAMESPACES.length, fail, (v, p) =>
          expectOneOf(v, WORKLOAD_NAMESPACES, p, fail),
        ) as WorkloadNamespace[];
      }
      return spec;
    }
    case 'oci': {
      if ((raw.bundle === undefined) === (raw.image === undefined)) {
        fail('bundle', `expected exactly one of bundle or image, got ${raw.bundle === undefined ? 'neither' : 'both'}`);
      }
      const spec: OciWorkloadSpec = { ...base, driver, args: validateArgs(raw.args), env: validateEnv(raw.env) };
      if (raw.bundle !== undefined) spec.bundle = expectAbsolutePath(raw.bundle, 'bundle', fail);
      if (raw.image !== undefined) spec.image = expectAbsolutePath(raw.image, 'image', fail);
      if (raw.command !== undefined) spec.command = expectText(raw.command, 'command', fail);
      return spec;
    }
    case 'vm': {
      const spec: VmWorkloadSpec = {
        ...base,
        driver,
        kernel: expectAbsolutePath(raw.kernel, 'kernel', fail),
        memoryMiB:
          raw.memoryMiB === undefined
            ? WORKLOAD_VM_MEMORY_DEFAULT_MIB
            : expectInt(raw.memoryMiB, 'memoryMiB', WORKLOAD_VM_MEMORY_MIN_MIB, WORKLOAD_VM_MEMORY_MAX_MIB, fail),
        cpus: raw.cpus === undefined ? WORKLOAD_VM_CPUS_DEFAULT : expectInt(raw.cpus, 'cpus', 1, WORKLOAD_VM_CPUS_MAX, fail),
      };
      if (raw.disk !== undefined) spec.disk = expectAbsolutePath(raw.disk, 'disk', fail);
      if (raw.initrd !== undefined) spec.initrd = expectAbsolutePath(raw.initrd, 'initrd', fail);
      if (raw.append !== undefined) spec.append = expectText(raw.append, 'append', fail);
      return spec;
    }
  }
}

function validatePlacement(value: unknown): Placement {
  const obj = expectObject(value, 'placement', fail);
  if ('nodes' in obj) {
    if ('selector' in obj || 'replicas' in obj) {
      fail('placement', `expected either {nodes} or {selector, replicas}, got ${show(Object.keys(obj))}`);
    }
    rejectUnknown(obj, ['nodes'], 'placement', fail);
    const nodes = expectUniqueArray(obj.nodes, 'placement.nodes', WORKLOAD_PLACEMENT_NODES_MAX, fail, (v, p) => expectName(v, p, fail));
    if (nodes.length === 0) fail('placement.nodes', 'expected at least one node, got []');
    return { nodes };
  }
  if ('selector' in obj || 'replicas' in obj) {
    rejectUnknown(obj, ['selector', 'replicas'], 'placement', fail);
    return {
      selector: expectLabels(obj.selector ?? {}, 'placement.selector', fail),
      replicas: expectInt(obj.replicas, 'placement.replicas', 1, WORKLOAD_REPLICAS_MAX, fail),
    };
  }
  return fail('placement', `expected either {nodes} or {selector, replicas}, got ${show(obj)}`);
}

function validateArgs(value: unknown): string[] {
  if (value === undefined) return [];
  return expectArray(value, 'args', WORKLOAD_ARGS_MAX, fail, (v, p) => {
    if (v === '') return '';
    return expectText(v, p, fail);
  });
}

function validateEnv(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  return expectStringMap(value, 'env', fail, {
    max: WORKLOAD_ENV_MAX,
    keyPattern: ENV_KEY_PATTERN,
    keyDescription: '[A-Za-z_][A-Za-z0-9_]*',
    allowEmptyValue: true,
  });
}
