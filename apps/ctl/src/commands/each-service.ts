// One command over several service names (status/start/stop/restart a b c): in order, a failure does not stop the rest.
import type { InitV1 } from '@fortros/proto';
import { describeFailure } from '../cli/exit-codes.js';
import { OperationFailedError } from '../errors.js';
import { serviceToJson } from '@fortros/views';
import { didYouMean } from '../render/suggest.js';
import { callOptions, printJson, type CommandContext } from './command.js';
import { loadedRpc, unary } from './grpc-stack.js';

export interface EachService {
  /** The command, for messages. */
  command: string;
  /** The call for one name; resolves to the service as it is afterwards. */
  call(name: string): Promise<InitV1.Service__Output>;
  /** Text output of one service (JSON is printed by eachService: one object, or an array for several names). */
  show(s: InitV1.Service__Output): void;
  /** Throws when the service did not end where the command wanted it (start --wait), after it was shown. */
  verdict?(s: InitV1.Service__Output): void;
}

/** A NOT_FOUND for `name` with the closest service name init knows, if one is close. */
async function withSuggestion(ctx: CommandContext, command: string, name: string, err: unknown): Promise<unknown> {
  const rpc = loadedRpc();
  if (!rpc || !(err instanceof rpc.RpcCallError) || err.code !== rpc.StatusCode.NOT_FOUND) return err;
  const res = await unary(await ctx.init(), 'listServices', {}, callOptions(ctx)).catch(() => undefined);
  const names = (res?.services ?? []).map((s) => s.name);
  return new OperationFailedError(`${command} ${name}: ${err.details} (NOT_FOUND)${didYouMean(name, names)}`);
}

/**
 * Run `e.call` for each name in turn. Every failure but the last is reported on stderr as it happens; the last is
 * thrown once all names ran (so the exit code is that of a failure when any failed, and 0 only when all succeeded).
 */
export async function eachService(ctx: CommandContext, names: readonly string[], e: EachService): Promise<void> {
  const json: ReturnType<typeof serviceToJson>[] = [];
  let failure: unknown;
  const report = (err: unknown): void => {
    if (failure !== undefined) ctx.out.error(describeFailure(failure, e.command, ctx.options.socket, ctx.signal.aborted).message);
    failure = err;
  };
  for (const name of names) {
    if (ctx.signal.aborted) break;
    try {
      const s = await e.call(name);
      if (ctx.options.json) json.push(serviceToJson(s));
      else e.show(s);
      e.verdict?.(s);
    } catch (err) {
      report(await withSuggestion(ctx, e.command, name, err));
    }
  }
  if (ctx.options.json && json.length > 0) printJson(ctx, names.length === 1 ? json[0] : json);
  if (failure !== undefined) throw failure;
}
