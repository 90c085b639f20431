// fortros-maintainer: the command line. The shared daemon skeleton (@fortros/daemon) runs the maintainer's components
// and signals readiness once the node has joined and synced; SIGTERM/SIGINT leave the gossip and stop.
import { daemonMain } from '@fortros/daemon';
import { Daemon } from './daemon.js';
import { parseCommandLine, USAGE, type MaintainerOptions } from './node/options.js';

daemonMain<MaintainerOptions>({
  name: 'fortros-maintainer',
  usage: USAGE,
  parse: parseCommandLine,
  common: (o) => ({ logLevel: o.logLevel, logFormat: o.logFormat, notifyFd: o.notifyFd, metrics: o.metrics }),
  build: (o, ctx) => ({ components: [...new Daemon(o, { log: ctx.logger, metrics: ctx.metrics }).components] }),
});
