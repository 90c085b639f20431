// Is the key service there? A Status call on keys.sock, retried with backoff until it answers (readiness, DESIGN §1).
import type { Logger } from '@fortros/log';
import { KeysV1 } from '@fortros/proto';
import { closeClient, createClient, unary } from '@fortros/rpc';
import { CALL_TIMEOUT_MS } from '../constants.js';
import { Backoff } from './backoff.js';

/** Resolves once the key service answers Status; rejects only when `signal` aborts. */
export async function waitForKeyService(socketPath: string, logger: Logger, signal: AbortSignal): Promise<void> {
  const log = logger.child({ component: 'reconciler:keys' });
  const client = createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), socketPath);
  const backoff = new Backoff();
  try {
    for (;;) {
      try {
        await unary(client, 'status', {}, { timeoutMs: CALL_TIMEOUT_MS, signal });
        log.info('key service reachable', { socket: socketPath });
        return;
      } catch (err) {
        signal.throwIfAborted();
        log.warn('key service not reachable yet', { socket: socketPath, err: (err as Error).message });
      }
      await backoff.wait(signal);
    }
  } finally {
    closeClient(client);
  }
}
