// fortros-wireguard: the command line. Parse options, load (or make) the node key, hold the mesh interface until
// SIGTERM/SIGINT (remove it, exit 0) or until wireguard-go dies (exit 1, so init restarts the service).
import { createLogger, createStderrSink } from '@fortros/log';
import { notifyReady } from '@fortros/readiness';
import { EXIT_FLUSH_TIMEOUT_MS } from './constants.js';
import { KeyFileFormatError, KeyFileModeError, UsageError } from './errors.js';
import { loadOrCreatePrivateKey } from './key-file.js';
import { parseCommandLine, USAGE } from './options.js';
import { MeshInterfaceService } from './service/mesh-interface.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fortros-wireguard: ${err.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = cmd.options;
  const logger = createLogger({ sink: createStderrSink(), format: o.logFormat, level: o.logLevel });
  const log = logger.child({ component: 'wireguard' });
  let key;
  try {
    key = await loadOrCreatePrivateKey(o.keyPath);
  } catch (err) {
    if (err instanceof KeyFileModeError || err instanceof KeyFileFormatError) {
      log.error('refusing the private key file', { path: o.keyPath, err: err.message });
      return EXIT_USAGE;
    }
    log.error('could not read the private key file', { path: o.keyPath, err: err instanceof Error ? err.message : String(err) });
    return EXIT_FAILED;
  }
  if (key.created) log.info('made a new private key', { path: o.keyPath });
  const service = new MeshInterfaceService(
    { interfaceName: o.interfaceName, privateKey: key.privateKey, listenPort: o.listenPort, address: o.address, mtu: o.mtu, backend: o.backend },
    { log, onReady: () => notifyReady(o.notifyFd) },
  );
  for (const s of STOP_SIGNALS) process.on(s, () => service.requestStop());
  const code = await service.run();
  log.info('exiting', { code });
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    for (const s of STOP_SIGNALS) process.removeAllListeners(s);
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
  },
  (err: unknown) => {
    console.error('fortros-wireguard: fatal:', err);
    process.exit(EXIT_FAILED);
  },
);
