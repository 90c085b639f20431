// OCI runtime configs for the `oci` driver: generated for a plain rootfs (`image`), or derived from a bundle's
// config.json with the spec's command, args and env applied. Neither asks for cgroup settings (README "oci").
import { DEFAULT_PATH } from '../constants.js';
import type { OciWorkloadSpec } from '../spec.js';

type Json = Record<string, unknown>;

/** A minimal config (OCI runtime spec 1.0) for a rootfs: its own pid, ipc, uts and mount namespaces, the host's network. */
export function configForRootfs(rootfs: string, hostname: string): Json {
  return {
    ociVersion: '1.0.2',
    root: { path: rootfs, readonly: true },
    hostname,
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: ['/bin/sh'],
      env: [`PATH=${DEFAULT_PATH}`],
      cwd: '/',
      noNewPrivileges: true,
      capabilities: Object.fromEntries(
        ['bounding', 'effective', 'permitted'].map((set) => [set, ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_SETGID', 'CAP_SETUID']]),
      ),
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
    },
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/** `config` with the spec applied: command/args replace the process args, env entries override by name. */
export function applySpec(config: Json, spec: OciWorkloadSpec, rootPath: string): Json {
  const proc = { ...((config.process as Json | undefined) ?? {}) };
  proc.terminal = false; // stdout/stderr go to the anchor's log pipe
  const args = Array.isArray(proc.args) ? (proc.args as string[]) : [];
  if (spec.command !== undefined) proc.args = [spec.command, ...spec.args];
  else if (spec.args.length > 0) proc.args = [args[0] ?? '/bin/sh', ...spec.args];
  const env = new Map<string, string>();
  for (const entry of Array.isArray(proc.env) ? (proc.env as string[]) : []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const [k, v] of Object.entries(spec.env)) env.set(k, v);
  proc.env = [...env].map(([k, v]) => `${k}=${v}`);
  return { ...config, process: proc, root: { ...((config.root as Json | undefined) ?? {}), path: rootPath } };
}
