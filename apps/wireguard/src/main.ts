// fortros-wireguard: the command line. The shared daemon skeleton (@fortros/daemon) runs one component, the mesh
// interface: up until SIGTERM/SIGINT (removed, exit 0) or until its wireguard-go dies (exit 1, so init restarts it).
import { daemonMain } from '@fortros/daemon';
import { parseCommandLine, USAGE, type WireguardOptions } from './options.js';
import { MeshInterfaceComponent } from './service/mesh-component.js';

daemonMain<WireguardOptions>({
  name: 'fortros-wireguard',
  usage: USAGE,
  parse: parseCommandLine,
  common: (o) => ({ logLevel: o.logLevel, logFormat: o.logFormat, notifyFd: o.notifyFd, metrics: o.metrics }),
  build(o, ctx) {
    const log = ctx.logger.child({ component: 'wireguard' });
    const config = { keyPath: o.keyPath, interfaceName: o.interfaceName, listenPort: o.listenPort, address: o.address, mtu: o.mtu, backend: o.backend };
    return { components: [new MeshInterfaceComponent(config, { log })] };
  },
});
