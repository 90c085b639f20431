// fortctl's exit codes (DESIGN §6) and the one mapping from a failure to its code and message.
import { DaemonUnreachableError, OperationFailedError, UsageError } from '../errors.js';
import { loadedRpc, type Rpc } from '../commands/grpc-stack.js';
import { unreachableReason } from '../commands/unreachable.js';

export const ExitCode = {
  /** The operation succeeded. */
  Ok: 0,
  /** The operation failed: NOT_FOUND, FAILED_PRECONDITION, a wait that timed out… */
  Failed: 1,
  /** The command line is wrong: unknown command or flag, missing or bad argument. */
  Usage: 2,
  /** The daemon is unreachable: socket missing, connection refused, UNAVAILABLE. */
  Unreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Failure {
  code: ExitCode;
  message: string;
}

/** What to print (on stderr) and which code to exit with, for an error a command threw. */
export function describeFailure(err: unknown, command: string, socket: string, interrupted: boolean, rpc: Rpc | undefined = loadedRpc()): Failure {
  if (err instanceof UsageError) return { code: ExitCode.Usage, message: `fortctl: ${err.message}` };
  if (err instanceof OperationFailedError) return { code: ExitCode.Failed, message: `fortctl: ${err.message}` };
  if (err instanceof DaemonUnreachableError) return { code: ExitCode.Unreachable, message: `fortctl: ${err.message}` };
  if (rpc && err instanceof rpc.RpcCallError) {
    const { StatusCode } = rpc;
    const codeName = StatusCode[err.code] ?? String(err.code);
    switch (err.code) {
      case StatusCode.UNAVAILABLE:
        return { code: ExitCode.Unreachable, message: `fortctl: cannot reach fortros-init: ${unreachableReason('fortros-init', socket, err.details)}` };
      case StatusCode.INVALID_ARGUMENT:
        return { code: ExitCode.Usage, message: `fortctl: ${command}: ${err.details} (${codeName})` };
      case StatusCode.CANCELLED:
        return { code: ExitCode.Failed, message: interrupted ? `fortctl: ${command}: interrupted` : `fortctl: ${command}: ${err.details} (${codeName})` };
      case StatusCode.DEADLINE_EXCEEDED:
        return { code: ExitCode.Failed, message: `fortctl: ${command}: no answer from fortros-init in time (see --timeout): ${err.details}` };
      default:
        return { code: ExitCode.Failed, message: `fortctl: ${command}: ${err.details} (${codeName})` };
    }
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const io = (e as NodeJS.ErrnoException).code;
  return { code: ExitCode.Failed, message: `fortctl: ${command}: ${e.message}${io && !e.message.includes(io) ? ` (${io})` : ''}` };
}
