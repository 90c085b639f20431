// The connection to fortros-maintainer's local API: its socket, a checked client per command, and its failures
// turned into fortctl's exit conditions (naming the maintainer, not init).
import { NODE_PATHS } from '@fortros/core';
import { join } from 'node:path';
import type { MaintainerV1 } from '@fortros/proto';
import { OperationFailedError } from '../errors.js';
import type { CommandContext } from './command.js';
import { loadProto, loadRpc, type Rpc } from './grpc-stack.js';
import { checkSocket, unreachableError } from './unreachable.js';

/** `--socket` when given, else `<root>/run/fortros/maintainer.sock`. */
export function maintainerSocket(ctx: CommandContext): string {
  return ctx.options.socketOverride ?? join(ctx.options.root, NODE_PATHS.maintainerSocket);
}

/** A client on `socket` after checking the socket (DaemonUnreachableError naming it otherwise). */
async function connect(rpc: Rpc, socket: string): Promise<MaintainerV1.MaintainerClient> {
  await checkSocket('fortros-maintainer', socket);
  const proto = await loadProto();
  return rpc.createClient<MaintainerV1.MaintainerClient>(proto.MaintainerV1.loadMaintainerApi(), socket);
}

/**
 * The maintainer's status codes as fortctl exit conditions: UNAVAILABLE is unreachable (3), naming the socket;
 * INVALID_ARGUMENT is a failed operation (1: the request reached the maintainer, which refused the spec and named the
 * field); DEADLINE_EXCEEDED names the maintainer. Everything else keeps the shared mapping (NOT_FOUND… → 1).
 */
export function maintainerFailure(rpc: Rpc, err: unknown, command: string, socket: string): unknown {
  const { RpcCallError, StatusCode } = rpc;
  if (!(err instanceof RpcCallError)) return err;
  switch (err.code) {
    case StatusCode.UNAVAILABLE:
      return unreachableError('fortros-maintainer', socket, err.details);
    case StatusCode.INVALID_ARGUMENT:
      return new OperationFailedError(`${command}: ${err.details} (INVALID_ARGUMENT)`);
    case StatusCode.DEADLINE_EXCEEDED:
      return new OperationFailedError(`${command}: no answer from fortros-maintainer in time (see --timeout): ${err.details}`);
    default:
      return err;
  }
}

/** Run `body` with a maintainer client, closing it afterwards and mapping its failures (maintainerFailure). */
export async function withMaintainer<T>(ctx: CommandContext, command: string, body: (client: MaintainerV1.MaintainerClient) => Promise<T>): Promise<T> {
  const socket = maintainerSocket(ctx);
  const rpc = await loadRpc();
  const client = await connect(rpc, socket);
  try {
    return await body(client);
  } catch (err) {
    throw maintainerFailure(rpc, err, command, socket);
  } finally {
    rpc.closeClient(client);
  }
}
