// `logs NAME [-f] [-n N]` and `events [--current] [NAME...]`: server streams printed as they arrive.
import { serverStream } from './grpc-stack.js';
import { DEFAULT_LOG_LINES, MAX_UINT32 } from '../constants.js';
import { UsageError } from '../errors.js';
import { eventToJson, formatEvent, formatLogLine, logLineToJson } from '../render/stream-lines.js';
import type { InitV1 } from '@fortros/proto';
import type { CommandContext, CommandSpec } from './command.js';
import { printStream, type StreamSource } from './stream-output.js';
import { mergedLogs } from './merged-logs.js';

function fromInit(ctx: CommandContext, command: string): StreamSource {
  return { command, daemon: 'fortros-init', socket: ctx.options.socket };
}

/** An integer ≥ `min` (1 unless said) that fits a uint32 field, or a usage error naming the flag. */
export function parseCount(flag: string, command: string, value: string, min = 1): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > MAX_UINT32) {
    throw new UsageError(`${flag}: expected ${min === 0 ? 'an integer ≥ 0' : 'a positive integer'}, got ${value}`, command);
  }
  return n;
}

export const logsCommand: CommandSpec = {
  name: 'logs',
  args: '[NAME]',
  summary: "print the last lines of NAME's log (or of every service's, merged); with -f, follow",
  details:
    'Lines print as `TIMESTAMP LINE`; without NAME, the logs of every service merged by time, as `TIMESTAMP SERVICE: ' +
    'LINE` (--json: one {"service","at","line"} object per line). -n 0 -f prints only lines written from now on. ' +
    'With -f, new lines print as ' +
    'they are written until Ctrl-C, which exits 0; if init stops (or the connection drops) meanwhile, fortctl says\n' +
    'so on stderr and exits 3. Without -f the whole call obeys --timeout.',
  flags: {
    follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until interrupted' },
    lines: { type: 'string', short: 'n', value: 'N', help: `how many of the last lines (default ${DEFAULT_LOG_LINES}; init caps it; 0 with -f: only new lines)` },
  },
  positionals: { min: 0, max: 1 },
  completesServices: true,
  async run(ctx, { positionals: [service], flags }) {
    const follow = flags['follow'] === true;
    const lines = typeof flags['lines'] === 'string' ? parseCount('-n', 'logs', flags['lines'], follow ? 0 : 1) : DEFAULT_LOG_LINES;
    const client = await ctx.init();
    if (service === undefined) {
      const print = (l: InitV1.LogLine__Output): void => ctx.out.line(ctx.options.json ? JSON.stringify(logLineToJson(l)) : formatLogLine(l, true));
      return mergedLogs(ctx, client, lines, follow, print);
    }
    await printStream(
      ctx,
      fromInit(ctx, 'logs'),
      () => serverStream(client, 'readLogs', { service: service!, lines, follow }, { timeoutMs: follow ? 0 : ctx.options.timeoutMs, signal: ctx.signal }),
      (l) => ctx.out.line(ctx.options.json ? JSON.stringify(logLineToJson(l)) : formatLogLine(l)),
    );
  },
};

export const eventsCommand: CommandSpec = {
  name: 'events',
  args: '[NAME...]',
  summary: 'print state transitions as they happen (of NAMEs, or of every service)',
  details:
    'One line per transition: `TIME SERVICE FROM -> TO [pid=PID] [REASON]` (--json: one object per line with seq, at, ' +
    'service, from, to, reason, pid). Runs until Ctrl-C (exit 0); if init stops (or the connection drops), fortctl\n' +
    'says so on stderr and exits 3.',
  flags: { current: { type: 'boolean', help: 'first print one event per service with its current state' } },
  positionals: { min: 0, max: Infinity },
  completesServices: true,
  async run(ctx, { positionals, flags }) {
    const request = { services: positionals, includeCurrent: flags['current'] === true };
    const client = await ctx.init();
    await printStream(
      ctx,
      fromInit(ctx, 'events'),
      () => serverStream(client, 'watchEvents', request, { timeoutMs: 0, signal: ctx.signal }),
      (e) => ctx.out.line(ctx.options.json ? JSON.stringify(eventToJson(e)) : formatEvent(e)),
    );
  },
};
