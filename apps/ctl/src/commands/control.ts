// `start`, `stop`, `restart` (optionally waiting for the outcome) and `signal`.
import { checkSignal } from '@fortros/core';
import { unary } from './grpc-stack.js';
import { MAX_UINT32, WAIT_DEADLINE_GRACE_MS } from '../constants.js';
import { OperationFailedError, UsageError } from '../errors.js';
import { serviceToJson, stateName, type StateName } from '@fortros/views';
import { renderServiceSummary } from '../render/service-text.js';
import { callOptions, printJson, type CommandSpec } from './command.js';
import { eachService } from './each-service.js';
import { stateAfter } from './state-after.js';

type Action = 'startService' | 'stopService' | 'restartService';

/** Deadline of a call that waits server-side for up to `timeoutMs`: a little longer, so init answers first. */
export function waitingDeadline(timeoutMs: number): number {
  return timeoutMs > 0 ? timeoutMs + WAIT_DEADLINE_GRACE_MS : 0;
}

function actionCommand(name: string, action: Action, summary: string, target: StateName): CommandSpec {
  return {
    name,
    args: 'NAME...',
    summary,
    details:
      `With --wait, returns once NAME is ${target} (up to --timeout ms, 0 = no limit) and exits 1 if it ended up in another ` +
      'state. Without it, returns once NAME made its first transition after the request (at most 2 s). Prints each ' +
      'service as the request left it ' +
      '(--json: a service object; an array of them for several NAMEs). Several NAMEs are handled in turn; one that ' +
      'fails does not stop the others, and the exit code is that of the last failure.',
    flags: { wait: { type: 'boolean', help: `wait until NAME is ${target}` } },
    positionals: { min: 1, max: Infinity },
    completesServices: true,
    async run(ctx, { positionals, flags }) {
      const wait = flags['wait'] === true;
      const timeoutMs = Math.min(ctx.options.timeoutMs, MAX_UINT32);
      const client = await ctx.init();
      await eachService(ctx, positionals, {
        command: name,
        call: (svc) => {
          if (wait) return unary(client, action, { name: svc, wait, timeoutMs }, callOptions(ctx, waitingDeadline(timeoutMs)));
          const act = () => unary(client, action, { name: svc, wait, timeoutMs: 0 }, callOptions(ctx));
          return stateAfter(ctx, client, svc, act, (s) => action !== 'restartService' && stateName(s.state) === target);
        },
        show: (s) => ctx.out.line(renderServiceSummary(s, ctx.now(), ctx.out.colour)),
        verdict: (s) => {
          const state = stateName(s.state);
          if (wait && state !== target) throw new OperationFailedError(`${name} ${s.name}: ended ${state}, not ${target}${s.reason ? `: ${s.reason}` : ''}`);
        },
      });
    },
  };
}

export const startCommand = actionCommand('start', 'startService', 'start each NAME after the closure of its dependencies', 'ready');
export const stopCommand = actionCommand('stop', 'stopService', 'stop each NAME after everything that depends on it', 'inactive');
export const restartCommand = actionCommand('restart', 'restartService', 'stop then start each NAME (its dependents too)', 'ready');

/**
 * `HUP`, `sighup`, `1` → `SIGHUP`, by the rule init applies too (@fortros/core signals.ts): what fortctl accepts, init
 * accepts. Real-time signals (RTMIN+n) are a usage error here rather than a refusal by init.
 */
export function normaliseSignal(sig: string): NodeJS.Signals {
  const r = checkSignal(sig);
  if (!r.ok) throw new UsageError(`SIG: expected ${r.expected}, got ${r.got}`, 'signal');
  return r.value;
}

export const signalCommand: CommandSpec = {
  name: 'signal',
  args: 'NAME SIG',
  summary: "send a signal to NAME's main process",
  details: 'SIG is a name of a signal Node can send (HUP, SIGHUP, sigusr1) or its number; real-time signals (RTMIN+n) are not supported. Exit 1 if NAME has no process.',
  flags: {},
  positionals: { min: 2, max: 2 },
  completesServices: true,
  async run(ctx, { positionals: [svc, sig] }) {
    const signal = normaliseSignal(sig!);
    const s = await unary(await ctx.init(), 'signalService', { name: svc!, signal }, callOptions(ctx));
    if (ctx.options.json) printJson(ctx, serviceToJson(s));
    else ctx.out.line(`${signal} sent to ${renderServiceSummary(s, ctx.now())}`);
  },
};
