// Where the built programs of this repository are: a lab runs them from their dist/ directories (after the build),
// the bundles where an app has them (every daemon and fortctl).
import { fileURLToPath } from 'node:url';

/** apps/<app>/<path>, from apps/lab/src or apps/lab/dist alike. */
const app = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const INIT_MAIN = app('init/dist/bundle/fortros-init.mjs');
export const WIREGUARD_MAIN = app('wireguard/dist/bundle/fortros-wireguard.mjs');
export const MAINTAINER_MAIN = app('maintainer/dist/bundle/fortros-maintainer.mjs');
export const KEYS_MAIN = app('key-service/dist/bundle/fortros-keys.mjs');
export const RECONCILER_MAIN = app('reconciler/dist/bundle/fortros-reconciler.mjs');
export const DRAIN_MAIN = app('reconciler/dist/bundle/fortros-workloads-drain.mjs');
export const FORTCTL_MAIN = app('ctl/dist/bundle/fortctl.mjs');
/** The repository's node_modules/.bin (fortctl, fortros-init …), put first on PATH for `fortros-lab exec`. */
export const WORKSPACE_BIN = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));
export const CONSOLE_MAIN = app('console/dist/main.js');
/** examples/node's boot watchdog (DESIGN §1): a lab node runs the very script a real node runs. */
export const EXAMPLE_BOOT_WATCHDOG = fileURLToPath(new URL('../../../examples/node/services/boot-watchdog/up', import.meta.url));
/** The relay `fortros-lab console` starts inside a node's namespace. */
export const RELAY_MAIN = app('lab/dist/relay-main.js');
