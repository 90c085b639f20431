// Where the built programs of this repository are: a lab runs them from their dist/ directories (after the build).
import { fileURLToPath } from 'node:url';

/** apps/<app>/<path>, from apps/lab/src or apps/lab/dist alike. */
const app = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const INIT_MAIN = app('init/dist/bundle/fortros-init.mjs');
export const WIREGUARD_MAIN = app('wireguard/dist/main.js');
export const MAINTAINER_MAIN = app('maintainer/dist/main.js');
export const KEYS_MAIN = app('key-service/dist/main.js');
export const RECONCILER_MAIN = app('reconciler/dist/main.js');
export const DRAIN_MAIN = app('reconciler/dist/drain-main.js');
export const FORTCTL_MAIN = app('ctl/dist/bundle/fortctl.mjs');
/** The repository's node_modules/.bin (fortctl, fortros-init …), put first on PATH for `fortros-lab exec`. */
export const WORKSPACE_BIN = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));
export const CONSOLE_MAIN = app('console/dist/main.js');
/** examples/node's boot watchdog (DESIGN §1): a lab node runs the very script a real node runs. */
export const EXAMPLE_BOOT_WATCHDOG = fileURLToPath(new URL('../../../examples/node/services/boot-watchdog/up', import.meta.url));
/** The relay `fortros-lab console` starts inside a node's namespace. */
export const RELAY_MAIN = app('lab/dist/relay-main.js');
