// fortros-console: the command line. The shared daemon skeleton (@fortros/daemon) runs its components: the credential
// (read from --token-file) and the HTTP server; SIGTERM/SIGINT stop it cleanly.
import { daemonMain, startable } from '@fortros/daemon';
import { readTokenFile } from './http/auth.js';
import { ConsoleServer } from './http/console-server.js';
import { NodeReader } from './daemons/node-reader.js';
import { parseCommandLine, USAGE, type ConsoleOptions } from './options.js';

daemonMain<ConsoleOptions>({
  name: 'fortros-console',
  usage: USAGE,
  parse: parseCommandLine,
  common: (o) => ({ logLevel: o.logLevel, logFormat: o.logFormat, notifyFd: o.notifyFd, metrics: undefined }),
  build(o, ctx) {
    let token: string | undefined;
    const credential = startable(
      'console:credential',
      async () => {
        if (o.tokenFile !== undefined) token = await readTokenFile(o.tokenFile);
      },
      async () => undefined,
    );
    const node = new NodeReader(o);
    const server = new ConsoleServer({ listen: o.listen, token: () => token }, node, ctx.logger.child({ component: 'console:http' }));
    return { components: [credential, server] };
  },
});
