// `logs` without a name: the logs of every service merged by time, and with -f the new lines of all of them.
import type { InitV1 } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { callOptions, type CommandContext } from './command.js';
import { serverStream, unary } from './grpc-stack.js';
import { printStream } from './stream-output.js';

type LogLine = InitV1.LogLine__Output;

const atMs = (l: LogLine): number => fromTimestamp(l.at)?.getTime() ?? 0;
const keyOf = (l: LogLine): string => `${l.service}\u0000${atMs(l)}\u0000${l.line}`;

/** The last `n` lines of all `tails` together, oldest first (a stable sort: one service's lines keep their order). */
export function mergeTails(tails: readonly (readonly LogLine[])[], n: number): LogLine[] {
  const all = tails.flat().map((l, i) => ({ l, i }));
  all.sort((a, b) => atMs(a.l) - atMs(b.l) || a.i - b.i);
  return all.slice(Math.max(0, all.length - n)).map((x) => x.l);
}

/** Services that have a log (longruns and oneshots; a bundle runs nothing). */
async function loggedServices(ctx: CommandContext, client: InitV1.InitClient): Promise<string[]> {
  const res = await unary(client, 'listServices', {}, callOptions(ctx));
  return (res.services ?? []).filter((s) => !String(s.type).endsWith('BUNDLE')).map((s) => s.name).sort();
}

async function readTail(ctx: CommandContext, client: InitV1.InitClient, service: string, lines: number): Promise<LogLine[]> {
  const out: LogLine[] = [];
  if (lines === 0) return out;
  for await (const l of serverStream(client, 'readLogs', { service, lines, follow: false }, { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal })) out.push(l);
  return out;
}

/**
 * Print the last `lines` lines over all services; with `follow`, then every new line as it is written, until
 * interrupted. Following starts before the tails are read, and a followed line already printed in a tail is dropped, so
 * nothing written meanwhile is lost or doubled. Services added later (reload) are not followed.
 */
export async function mergedLogs(ctx: CommandContext, client: InitV1.InitClient, lines: number, follow: boolean, print: (l: LogLine) => void): Promise<void> {
  const services = await loggedServices(ctx, client);
  if (!follow) {
    for (const l of mergeTails(await Promise.all(services.map((s) => readTail(ctx, client, s, lines))), lines)) print(l);
    return;
  }
  const printed = new Set<string>();
  let early: LogLine[] | undefined = [];
  const onLine = (l: LogLine): void => {
    if (early) early.push(l);
    else if (!printed.delete(keyOf(l))) print(l);
  };
  const source = { command: 'logs -f', daemon: 'fortros-init', socket: ctx.options.socket };
  const streams = services.map((service) =>
    printStream(ctx, source, () => serverStream(client, 'readLogs', { service, lines: 0, follow: true }, { timeoutMs: 0, signal: ctx.signal }), onLine),
  );
  try {
    const tail = mergeTails(await Promise.all(services.map((s) => readTail(ctx, client, s, lines))), lines);
    for (const l of tail) print(l);
    const inTail = new Set(tail.map(keyOf));
    for (const l of early) if (!inTail.has(keyOf(l))) print(l);
    for (const l of tail) printed.add(keyOf(l));
    early = undefined;
  } catch (err) {
    await Promise.allSettled(streams);
    throw err;
  }
  await Promise.all(streams);
}
