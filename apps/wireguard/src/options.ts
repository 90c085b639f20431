// fortros-wireguard's command line, normalised once (STYLE §11): defaults here, validators that say what they expected.
import { DEFAULT_ROOT, expectedGot, NODE_PATHS, nodePaths, ROOT_ENV, type HostPort } from '@fortros/core';
import { parseChoiceFlag, parseDaemonArgs } from '@fortros/daemon';
import type { LogFormat, LogLevel } from '@fortros/log';
import { checkCidr, checkInterfaceName, checkMtu, checkPort, InvalidArgumentError, type BackendChoice } from '@fortros/wireguard';
import { DEFAULT_LISTEN_PORT } from './constants.js';
import { UsageError } from './errors.js';

const BACKENDS = ['auto', 'kernel', 'userspace'] as const;

export const USAGE = `usage: fortros-wireguard --interface NAME [--root DIR] [--listen-port N] [--address CIDR] [--mtu N]
                         [--backend auto|kernel|userspace] [--notify-fd N] [--metrics HOST:PORT]
                         [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-wireguard --help

Hold the node's WireGuard mesh interface (DESIGN §8): create it with the kernel module when the kernel has one, else
with a wireguard-go child; set the key from <root>/${NODE_PATHS.wireguardKey} (made, mode 0600, when absent; refused when
its mode is looser or it is not one base64 key), the listen port, the address and MTU; bring it up; then stay.
Peers are not set here: the maintainer applies them.
  --interface NAME    the interface (at most 15 characters; unique per host: wireguard-go's sockets are shared)
  --root DIR          node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT})
  --listen-port N     WireGuard's UDP port (default ${DEFAULT_LISTEN_PORT})
  --address CIDR      the node's overlay address with its prefix length, e.g. 10.42.0.7/16 (default: none)
  --mtu N             the interface MTU (default: the backend's)
  --backend B         auto (default: kernel if it works, else wireguard-go), kernel or userspace
  --notify-fd N       write a newline on fd N once the interface is up
  --metrics H:P       serve Prometheus metrics on http://H:P/metrics (off by default): process metrics
  --log-level L       debug, info (default), warn or error
  --log-format F      logfmt (default) or json, one record per line on stderr
Signals: SIGTERM and SIGINT remove the interface and exit 0; SIGHUP is logged and ignored.
Exit codes: 0 stopped by a signal, 1 could not create the interface or wireguard-go died (init restarts the
service), 2 usage error or a bad key file.
`;

export interface WireguardOptions {
  root: string;
  keyPath: string;
  interfaceName: string;
  listenPort: number;
  address: string | undefined;
  mtu: number | undefined;
  backend: BackendChoice;
  notifyFd: number | undefined;
  metrics: HostPort | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export type CommandLine = { command: 'help' } | { command: 'run'; options: WireguardOptions };

function integer(flag: string, value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new UsageError(`${flag}: ${expectedGot('an integer', value)}`);
  return Number(value);
}

/** Run a lib validator, turning its InvalidArgumentError into a UsageError naming the flag. */
function flagged<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new UsageError(`${flag}: ${err.message.replace(/^[^:]*: /, '')}`);
    throw err;
  }
}

/** Parse argv (without node and script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  const a = parseDaemonArgs(argv, env, ['interface', 'listen-port', 'address', 'mtu', 'backend']);
  if (a === 'help') return { command: 'help' };
  const name = a.flag('interface');
  if (name === undefined) throw new UsageError('--interface: required (the mesh interface name)');
  const port = a.flag('listen-port');
  const mtu = a.flag('mtu');
  const address = a.flag('address');
  return {
    command: 'run',
    options: {
      root: a.root,
      keyPath: nodePaths(a.root).wireguardKey,
      interfaceName: flagged('--interface', () => checkInterfaceName(name)),
      listenPort: port === undefined ? DEFAULT_LISTEN_PORT : flagged('--listen-port', () => checkPort(integer('--listen-port', port), 'listen port')),
      address: address === undefined ? undefined : flagged('--address', () => checkCidr(address, 'address')),
      mtu: mtu === undefined ? undefined : flagged('--mtu', () => checkMtu(integer('--mtu', mtu))),
      backend: parseChoiceFlag('--backend', BACKENDS, a.flag('backend'), 'auto'),
      ...a.common,
    },
  };
}
