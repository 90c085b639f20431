// fortros-keys: the command line. The shared daemon skeleton (@fortros/daemon) runs the key service's components;
// SIGHUP retries the master key, SIGTERM/SIGINT stop it cleanly.
import { daemonMain } from '@fortros/daemon';
import { parseCommandLine, USAGE, type KeysCommandOptions } from './options.js';
import { KeysDaemon } from './server/keys-daemon.js';

daemonMain<KeysCommandOptions>({
  name: 'fortros-keys',
  usage: USAGE,
  parse: parseCommandLine,
  common: (o) => ({ logLevel: o.logLevel, logFormat: o.logFormat, notifyFd: o.notifyFd, metrics: o.metrics }),
  build(o, ctx) {
    const daemon = new KeysDaemon(
      { root: o.root, socketPath: o.socketPath, initSocketPath: o.initSocketPath, reconcilerSocketPath: o.reconcilerSocketPath, ...(o.policyFile ? { policyFile: o.policyFile } : {}) },
      { logger: ctx.logger, metrics: ctx.metrics },
    );
    return { components: [...daemon.components], onHangup: () => daemon.retryMasterKey() };
  },
});
