// What a start/stop/restart without --wait led to: init answers once it accepted the request, before its supervisor
// acted, so the answer can still show the state before. Watch the service, then act, then report it after its next
// transition (bounded), so the line printed is the state the request led to (`web: stopping`, not `web: ready`).
import type { InitV1 } from '@fortros/proto';
import { STATE_AFTER_WAIT_MS } from '../constants.js';
import { callOptions, type CommandContext } from './command.js';
import { serverStream, unary } from './grpc-stack.js';

type Service = InitV1.Service__Output;

/** `p`'s value, or undefined once `ms` passed first (the timer is cleared either way). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => undefined); // settled after the timeout (the stream cancelled): not an unhandled rejection
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run `act` with a watch on `name` already live (its first message, the current state, says so; each wait is bounded
 * by STATE_AFTER_WAIT_MS). When `settled` says the answer already shows the outcome (stop of an inactive service),
 * that is it; otherwise the service as it is after its next transition, or the answer as is when none comes in time.
 */
export async function stateAfter(ctx: CommandContext, client: InitV1.InitClient, name: string, act: () => Promise<Service>, settled: (s: Service) => boolean): Promise<Service> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const events = serverStream(client, 'watchEvents', { services: [name], includeCurrent: true }, { timeoutMs: 0, signal: stop.signal });
  try {
    await within(events.next(), STATE_AFTER_WAIT_MS); // the current state: the watch is in place before the request
    const answer = await act();
    if (settled(answer)) return answer;
    const moved = await within(events.next().then((r) => !r.done), STATE_AFTER_WAIT_MS);
    return moved ? await unary(client, 'getService', { name }, callOptions(ctx)) : answer;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    stop.abort();
    await events.return(undefined).catch(() => undefined);
  }
}
