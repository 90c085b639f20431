// The connection to fortros-maintainer's local API: its socket, a checked client per command, and its failures
// turned into fortctl's exit conditions (naming the maintainer, not init).
import { NODE_PATHS } from '@fortros/core';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { MaintainerV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, StatusCode } from '@fortros/rpc';
import { DaemonUnreachableError, OperationFailedError } from '../errors.js';
import type { CommandContext } from './command.js';

/** `--socket` when given, else `<root>/run/fortros/maintainer.sock`. */
export function maintainerSocket(ctx: CommandContext): string {
  return ctx.options.socketOverride ?? join(ctx.options.root, NODE_PATHS.maintainerSocket);
}

/** A client on `socket` after checking that it exists and is a socket (DaemonUnreachableError naming it otherwise). */
async function connect(socket: string): Promise<MaintainerV1.MaintainerClient> {
  const st = await lstat(socket).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new DaemonUnreachableError(`cannot reach fortros-maintainer: ${socket} does not exist (is the maintainer running? see --root, --socket)`, socket);
    throw new DaemonUnreachableError(`cannot reach fortros-maintainer at ${socket}: ${err.code ?? err.message}`, socket);
  });
  if (!st.isSocket()) throw new DaemonUnreachableError(`cannot reach fortros-maintainer: ${socket} is not a socket`, socket);
  return createClient<MaintainerV1.MaintainerClient>(MaintainerV1.loadMaintainerApi(), socket);
}

/**
 * The maintainer's status codes as fortctl exit conditions: UNAVAILABLE is unreachable (3), naming the socket;
 * INVALID_ARGUMENT is a failed operation (1: the request reached the maintainer, which refused the spec and named the
 * field); DEADLINE_EXCEEDED names the maintainer. Everything else keeps the shared mapping (NOT_FOUND… → 1).
 */
export function maintainerFailure(err: unknown, command: string, socket: string): unknown {
  if (!(err instanceof RpcCallError)) return err;
  switch (err.code) {
    case StatusCode.UNAVAILABLE:
      return new DaemonUnreachableError(`cannot reach fortros-maintainer at ${socket}: ${err.details} (UNAVAILABLE)`, socket);
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
  const client = await connect(socket);
  try {
    return await body(client);
  } catch (err) {
    throw maintainerFailure(err, command, socket);
  } finally {
    closeClient(client);
  }
}
