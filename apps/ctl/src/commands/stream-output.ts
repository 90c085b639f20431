// Printing a server stream as it arrives: an interrupt or the server's OK end finishes it; the daemon going away is exit 3.
import { DaemonUnreachableError } from '../errors.js';
import type { CommandContext } from './command.js';
import { loadedRpc } from './grpc-stack.js';

/** The other end of a stream, as messages name it. */
export interface StreamSource {
  /** The command, e.g. `events`, `logs`, `members --watch`. */
  command: string;
  /** `fortros-init`, `fortros-maintainer`. */
  daemon: string;
  socket: string;
}

/**
 * Print each message of the stream `open` starts, as it arrives, until the stream ends. An interrupt (Ctrl-C/SIGTERM
 * cancels the call) and the server ending the stream OK both finish normally (exit 0). UNAVAILABLE once messages have
 * arrived means the daemon went away (it is stopping, or the connection dropped): DaemonUnreachableError saying so
 * (exit 3). Every other failure propagates, UNAVAILABLE before any message included ("cannot reach", also exit 3).
 */
export async function printStream<T>(ctx: CommandContext, source: StreamSource, open: () => AsyncIterable<T>, print: (message: T) => void): Promise<void> {
  if (ctx.signal.aborted) return;
  let received = 0;
  try {
    for await (const message of open()) {
      received += 1;
      print(message);
    }
  } catch (err) {
    const rpc = loadedRpc();
    if (!rpc || !(err instanceof rpc.RpcCallError)) throw err;
    const { StatusCode } = rpc;
    if (ctx.signal.aborted && err.code === StatusCode.CANCELLED) return;
    if (err.code === StatusCode.UNAVAILABLE && received > 0) {
      throw new DaemonUnreachableError(`${source.command}: ${source.daemon} at ${source.socket} went away: ${err.details}`, source.socket);
    }
    throw err;
  }
}
