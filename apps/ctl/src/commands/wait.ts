// `wait NAME [--state S]`: block until a service reaches a state, or fail on timeout / when it failed instead.
import { MAX_UINT32 } from '../constants.js';
import { OperationFailedError, UsageError } from '../errors.js';
import { STATE_NAMES, serviceToJson, stateName, wireState, type StateName } from '@fortros/views';
import { renderServiceSummary } from '../render/service-text.js';
import { formatDuration } from '@fortros/views';
import type { InitV1 } from '@fortros/proto';
import { callOptions, printJson, type CommandSpec } from './command.js';
import { waitingDeadline } from './control.js';
import { loadRpc, unary } from './grpc-stack.js';

/**
 * Why waiting for `target` is hopeless, or undefined: nothing brings a service that is inactive and not wanted out
 * of inactive (init only starts what it is asked to). A failed service is refused by init itself (FAILED_PRECONDITION).
 */
export function hopelessWait(s: Pick<InitV1.Service__Output, 'name' | 'state' | 'wanted'>, target: StateName): string | undefined {
  const state = stateName(s.state);
  if (state === target || state !== 'inactive' || s.wanted) return undefined;
  return `${s.name} is inactive and nothing is starting it (fortctl start ${s.name})`;
}

export const waitCommand: CommandSpec = {
  name: 'wait',
  args: 'NAME',
  summary: 'wait until NAME reaches a state (default ready)',
  details:
    'Gives up after --timeout ms (0 = wait until interrupted). Exit 1 when it times out, and at once when NAME failed ' +
    '(FAILED_PRECONDITION) or nothing is bringing the state about (an inactive service nobody started); the message ' +
    'says which. Prints the service once reached.',
  flags: { state: { type: 'string', value: 'STATE', help: `the state to wait for: ${STATE_NAMES.join(', ')} (default ready)` } },
  positionals: { min: 1, max: 1 },
  completesServices: true,
  async run(ctx, { positionals: [name], flags }) {
    const wanted = typeof flags['state'] === 'string' ? flags['state'] : 'ready';
    const state = wireState(wanted);
    if (!state) throw new UsageError(`--state: expected one of ${STATE_NAMES.join(', ')}, got ${wanted}`, 'wait');
    const timeoutMs = Math.min(ctx.options.timeoutMs, MAX_UINT32);
    const client = await ctx.init();
    const now = await unary(client, 'getService', { name: name! }, callOptions(ctx));
    const hopeless = hopelessWait(now, wanted as StateName);
    if (hopeless) throw new OperationFailedError(`wait ${name}: will not become ${wanted}: ${hopeless}`);
    try {
      const s = await unary(client, 'waitService', { name: name!, state, timeoutMs }, callOptions(ctx, waitingDeadline(timeoutMs)));
      if (ctx.options.json) printJson(ctx, serviceToJson(s));
      else ctx.out.line(renderServiceSummary(s, ctx.now()));
    } catch (err) {
      const { RpcCallError, StatusCode } = await loadRpc();
      if (err instanceof RpcCallError && err.code === StatusCode.DEADLINE_EXCEEDED) {
        throw new OperationFailedError(`wait ${name}: not ${wanted} after ${formatDuration(timeoutMs)} (timed out)`);
      }
      if (err instanceof RpcCallError && err.code === StatusCode.FAILED_PRECONDITION) {
        throw new OperationFailedError(`wait ${name}: will not become ${wanted}: ${err.details}`);
      }
      throw err;
    }
  },
};
