// fortros-reconciler: the command line. The shared daemon skeleton (@fortros/daemon) runs one component, the
// reconciler daemon; SIGTERM/SIGINT stop it and leave every workload running.
import { daemonMain } from '@fortros/daemon';
import { ReconcilerDaemon } from './daemon/reconciler-daemon.js';
import { parseCommandLine, USAGE, type ReconcilerCommandOptions } from './options.js';

daemonMain<ReconcilerCommandOptions>({
  name: 'fortros-reconciler',
  usage: USAGE,
  parse: parseCommandLine,
  common: (o) => ({ logLevel: o.logLevel, logFormat: o.logFormat, notifyFd: o.notifyFd, metrics: o.metrics }),
  build(o, ctx) {
    const daemon = new ReconcilerDaemon(
      { root: o.root, socketPath: o.socketPath, maintainerSocketPath: o.maintainerSocketPath, keysSocketPath: o.keysSocketPath },
      { logger: ctx.logger },
    );
    return { components: [daemon] };
  },
});
