// The service tree of one lab node (examples/node's, DESIGN §1) with absolute binaries, its interface and underlay.
import { CONSOLE_MAIN, DRAIN_MAIN, EXAMPLE_BOOT_WATCHDOG, KEYS_MAIN, MAINTAINER_MAIN, RECONCILER_MAIN, WIREGUARD_MAIN, WORKSPACE_BIN } from './binaries.js';
import { MAINTAINER_TIMEOUT_UP_MS, NODE_CONSOLE_PORT, UNDERLAY_PORT } from './constants.js';
import type { TreeSpec } from './service-tree.js';

const NODE = `"${process.execPath}"`;

/** The reconciler (ready on fd 3, after maintainer and key-service) and the workloads-drain oneshot of a node tree. */
export function reconcilerServices(options: { restartDelayMaxMs?: number } = {}): TreeSpec {
  return {
    reconciler: {
      type: 'longrun',
      notificationFd: 3,
      dependencies: ['maintainer', 'key-service'],
      ...(options.restartDelayMaxMs === undefined ? {} : { restartDelayMax: options.restartDelayMaxMs }),
      run: `exec ${NODE} "${RECONCILER_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --log-format json`,
    },
    'workloads-drain': {
      type: 'oneshot',
      dependencies: ['reconciler'],
      up: 'rm -f "$FORTROS_ROOT/run/fortros/reconciler/draining"',
      down: `${NODE} "${DRAIN_MAIN}" --root "$FORTROS_ROOT"`,
    },
  };
}

export interface NodeTreeOptions {
  /** The node's name (maintainer --name). */
  name: string;
  /** Its WireGuard interface, unique on the host. */
  interfaceName: string;
  /** Its underlay address, host:port. */
  underlay: string;
  /** Maintainer labels (`--label k=v`). */
  labels?: Record<string, string>;
  /** Added to the tree and to bundle `default`. */
  extra?: TreeSpec;
}

/**
 * persist-mount, wireguard, maintainer, key-service, reconciler, workloads-drain, boot-watchdog and bundle `default`;
 * also console (fortros-console on 127.0.0.1:NODE_CONSOLE_PORT), outside `default`: `fortctl start console` starts it.
 */
export function nodeTree(o: NodeTreeOptions): TreeSpec {
  const labels = Object.entries(o.labels ?? {}).map(([k, v]) => `--label ${k}=${v}`).join(' ');
  const extra = o.extra ?? {};
  return {
    'persist-mount': { type: 'oneshot', up: 'mkdir -p "$FORTROS_ROOT/persist" && chmod 0700 "$FORTROS_ROOT/persist"' },
    wireguard: {
      type: 'longrun',
      notificationFd: 3,
      dependencies: ['persist-mount'],
      run: `exec ${NODE} "${WIREGUARD_MAIN}" --root "$FORTROS_ROOT" --interface ${o.interfaceName} --listen-port ${UNDERLAY_PORT} --notify-fd 3`,
    },
    maintainer: {
      type: 'longrun',
      notificationFd: 3,
      timeoutUp: MAINTAINER_TIMEOUT_UP_MS,
      dependencies: ['wireguard'],
      run: `exec ${NODE} "${MAINTAINER_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --name ${o.name} --bind ${o.underlay} --interface ${o.interfaceName} --log-format json ${labels}`,
    },
    'key-service': { type: 'longrun', notificationFd: 3, dependencies: ['persist-mount'], run: `exec ${NODE} "${KEYS_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --log-format json` },
    ...reconcilerServices(),
    // examples/node's watchdog itself: generation `ok` once the maintainer is ready, `failed` (with the reason) when it
    // is not within FORTROS_BOOT_TIMEOUT s (default 120); it asks init through fortctl, found on PATH
    'boot-watchdog': {
      type: 'oneshot',
      dependencies: ['persist-mount'],
      up: `exec "${EXAMPLE_BOOT_WATCHDOG}"`,
      env: { PATH: `${WORKSPACE_BIN}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
    },
    console: {
      type: 'longrun',
      notificationFd: 3,
      dependencies: ['maintainer'],
      run: `exec ${NODE} "${CONSOLE_MAIN}" --root "$FORTROS_ROOT" --listen 127.0.0.1:${NODE_CONSOLE_PORT} --notify-fd 3 --log-format json`,
    },
    ...extra,
    default: { type: 'bundle', contents: ['persist-mount', 'wireguard', 'maintainer', 'key-service', 'reconciler', 'workloads-drain', 'boot-watchdog', ...Object.keys(extra)] },
  };
}
