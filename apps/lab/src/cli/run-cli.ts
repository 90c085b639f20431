// fortros-lab's command dispatch: parse, run the command, map errors to exit codes (0 ok, 1 failed, 2 usage).
import { assertNever } from '@fortros/core';
import { LabUsageError, NeedsRootError } from '../errors.js';
import { parseArgs, type Command } from './args.js';
import { consoleOf } from './console.js';
import type { CliContext } from './context.js';
import { down } from './down.js';
import { helpText } from './help.js';
import { heal, loss, partition } from './net-commands.js';
import { execIn, killNode, restartNode } from './node-commands.js';
import { stateBase } from './state.js';
import { status } from './status.js';
import { up } from './up.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function dispatch(ctx: CliContext, c: Command): Promise<number> {
  switch (c.cmd) {
    case 'help':
      ctx.out(helpText(c.topic));
      return Promise.resolve(EXIT_OK);
    case 'up':
      return up(ctx, c.nodes, c.name);
    case 'status':
      return status(ctx, c.name, c.json);
    case 'exec':
      return execIn(ctx, c.name, c.node, c.argv);
    case 'partition':
      return partition(ctx, c.name, c.groups);
    case 'heal':
      return heal(ctx, c.name);
    case 'loss':
      return loss(ctx, c.name, c.percent, c.nodes);
    case 'kill':
      return killNode(ctx, c.name, c.node);
    case 'restart':
      return restartNode(ctx, c.name, c.node);
    case 'console':
      return consoleOf(ctx, c.name, c.node, c.port);
    case 'down':
      return down(ctx, c.name);
    default:
      return assertNever(c);
  }
}

/** Run one command line; never throws. `makeContext` gets the state base the flags and environment chose. */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, makeContext: (base: string) => CliContext): Promise<number> {
  let ctx: CliContext | undefined;
  try {
    const command = parseArgs(argv);
    ctx = makeContext(stateBase(command.stateDir, env));
    if (command.cmd !== 'help' && process.getuid?.() !== 0) throw new NeedsRootError();
    return await dispatch(ctx, command);
  } catch (err) {
    const usage = err instanceof LabUsageError;
    const msg = `fortros-lab: ${(err as Error).message}${usage ? '\n(see `fortros-lab --help`)' : ''}`;
    if (ctx) ctx.err(msg);
    else makeContext('').err(msg);
    return usage ? EXIT_USAGE : EXIT_FAILED;
  }
}
