// `shutdown`, `reboot`, `poweroff`: stop every service in reverse dependency order, then halt / reboot / power off.
import type { InitV1 } from '@fortros/proto';
import { unary } from './grpc-stack.js';
import { callOptions, printJson, type CommandSpec } from './command.js';

function powerCommand(name: string, mode: InitV1.ShutdownMode__Output, what: string): CommandSpec {
  return {
    name,
    args: '',
    summary: `stop every service in reverse dependency order, then ${what}`,
    details: 'Returns once init accepted the request (--json: {"mode": …}).',
    flags: {},
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      await unary(await ctx.init(), 'shutdown', { mode }, callOptions(ctx));
      const modeName = mode.replace('SHUTDOWN_MODE_', '').toLowerCase();
      if (ctx.options.json) printJson(ctx, { mode: modeName });
      else ctx.out.line(`init is stopping every service, then: ${modeName}`);
    },
  };
}

export const shutdownCommand = powerCommand('shutdown', 'SHUTDOWN_MODE_HALT', 'halt (in a container: exit)');
export const rebootCommand = powerCommand('reboot', 'SHUTDOWN_MODE_REBOOT', 'reboot');
export const poweroffCommand = powerCommand('poweroff', 'SHUTDOWN_MODE_POWEROFF', 'power off');
