// A peer link's life as data: states, events, actions, and the one pure transition function `step`.
import { assertNever } from '@fortros/core';
import { ImpossibleLinkEventError } from '../errors.js';

/*
 *   dialling ──message──▶ live ◀──hello── awaiting-hello
 *       │                  │                   │
 *       └── close, reset, stream-ended, stream-failed, peer-went-away (hello-timeout) ──▶ closed (with its outcome)
 *
 * An outbound link starts `dialling` (our hello is on its way); an inbound one `awaiting-hello` (the caller has not
 * named itself yet; it has PEER_LINK_HELLO_TIMEOUT_MS to). The first message from the peer makes it `live`. However it ends, `closed` records the outcome
 * the replicator acts on: `worked` (the peer was heard), `unanswered` (never heard: back off), `peer-gone` (the
 * stream ended UNAVAILABLE: back off even if it had worked). A closed link ignores its stream ending after it.
 */

export enum LinkState {
  dialling = 'dialling',
  awaitingHello = 'awaiting-hello',
  live = 'live',
  closed = 'closed',
}
export const LINK_STATES = Object.values(LinkState);

export enum LinkEventType {
  /** Inbound: the caller's first message named it (`peer`, already checked by the shell). */
  hello = 'hello',
  /** A message from the known peer was accepted. */
  message = 'message',
  /** This side ends the link: idle, least recently used, replaced, a send failed, the node stopping. */
  close = 'close',
  /** This side ends the link because the peer does not keep up (too many sends waiting): counted as a failure. */
  reset = 'reset',
  /** The peer's stream ended normally. */
  streamEnded = 'stream-ended',
  /** The stream broke (a protocol error, a transport error other than UNAVAILABLE). */
  streamFailed = 'stream-failed',
  /** The stream ended UNAVAILABLE: the peer is stopping, refused or dropped the connection. */
  peerWentAway = 'peer-went-away',
  /** Inbound: the caller did not name itself in time. */
  helloTimeout = 'hello-timeout',
}
export const LINK_EVENT_TYPES = Object.values(LinkEventType);

export type LinkEvent =
  | { type: LinkEventType.hello; peer: string }
  | { type: LinkEventType.message }
  | { type: LinkEventType.close }
  | { type: LinkEventType.reset }
  | { type: LinkEventType.streamEnded }
  | { type: LinkEventType.streamFailed; error: string }
  | { type: LinkEventType.peerWentAway; error: string }
  | { type: LinkEventType.helloTimeout; error: string };

/** How a closed link went, for the replicator's reconnect backoff. */
export enum LinkOutcome {
  worked = 'worked',
  unanswered = 'unanswered',
  peerGone = 'peer-gone',
}

export enum LinkActionType {
  /** Inbound: open the session with the now known peer, register the link, answer with our hello and step1. */
  greet = 'greet',
  /** Count the link in `linksFailed`. */
  countFailure = 'count-failure',
  /** Debug-log why the link ended. */
  logEnd = 'log-end',
  /** End the stream from this side (cancel the outbound call; end the inbound handler). */
  closeStream = 'close-stream',
  /** Tell the replicator the link is over (it forgets the link and acts on the outcome). */
  ended = 'ended',
}

export type LinkAction =
  | { type: LinkActionType.greet; peer: string }
  | { type: LinkActionType.countFailure }
  | { type: LinkActionType.logEnd; message: 'sync peer went away' | 'sync link ended'; error: string }
  | { type: LinkActionType.closeStream }
  | { type: LinkActionType.ended };

/** What the lifecycle knows of a link. `peer` is known from the start outbound, from the hello inbound. */
export interface LinkLife {
  readonly state: LinkState;
  readonly peer: string | undefined;
  /** Set once closed. */
  readonly outcome: LinkOutcome | undefined;
}

export interface LinkTransition {
  life: LinkLife;
  actions: LinkAction[];
}

export function initialLife(peer: string | undefined): LinkLife {
  return { state: peer === undefined ? LinkState.awaitingHello : LinkState.dialling, peer, outcome: undefined };
}

/** The transition function: every (state, event) pair is handled here; impossible pairs throw. Pure. */
export function step(link: LinkLife, event: LinkEvent): LinkTransition {
  switch (link.state) {
    case LinkState.dialling:
      if (event.type === LinkEventType.message) return to(link, LinkState.live);
      if (event.type === LinkEventType.hello || event.type === LinkEventType.helloTimeout) return impossible(link, event);
      return end(link, event, LinkOutcome.unanswered);
    case LinkState.awaitingHello:
      if (event.type === LinkEventType.hello) return { life: { ...link, state: LinkState.live, peer: event.peer }, actions: [{ type: LinkActionType.greet, peer: event.peer }] };
      if (event.type === LinkEventType.message) return impossible(link, event);
      return end(link, event, LinkOutcome.unanswered);
    case LinkState.live:
      if (event.type === LinkEventType.message) return to(link, LinkState.live);
      if (event.type === LinkEventType.hello || event.type === LinkEventType.helloTimeout) return impossible(link, event);
      return end(link, event, LinkOutcome.worked);
    case LinkState.closed:
      switch (event.type) {
        case LinkEventType.close: // closing twice is allowed (idempotent close)
        case LinkEventType.streamEnded: // the stream ends after this side closed it
        case LinkEventType.streamFailed:
        case LinkEventType.peerWentAway:
          return to(link, LinkState.closed);
        case LinkEventType.hello:
        case LinkEventType.message:
        case LinkEventType.reset:
        case LinkEventType.helloTimeout:
          return impossible(link, event);
        default:
          return assertNever(event);
      }
    default:
      return assertNever(link.state);
  }
}

type EndEvent = Exclude<LinkEvent, { type: LinkEventType.hello } | { type: LinkEventType.message }>;

/** An open link ends: the outcome (peer gone wins over `open`'s), the failure counted and logged when it broke. */
function end(link: LinkLife, event: EndEvent, open: LinkOutcome): LinkTransition {
  const close: LinkAction[] = [{ type: LinkActionType.closeStream }, { type: LinkActionType.ended }];
  const closed = (outcome: LinkOutcome, actions: LinkAction[]): LinkTransition => ({ life: { ...link, state: LinkState.closed, outcome }, actions: [...actions, ...close] });
  switch (event.type) {
    case LinkEventType.close:
    case LinkEventType.streamEnded:
      return closed(open, []);
    case LinkEventType.reset:
      return closed(open, [{ type: LinkActionType.countFailure }]);
    case LinkEventType.streamFailed:
    case LinkEventType.helloTimeout:
      return closed(open, [{ type: LinkActionType.countFailure }, { type: LinkActionType.logEnd, message: 'sync link ended', error: event.error }]);
    case LinkEventType.peerWentAway:
      return closed(LinkOutcome.peerGone, [{ type: LinkActionType.countFailure }, { type: LinkActionType.logEnd, message: 'sync peer went away', error: event.error }]);
    default:
      return assertNever(event);
  }
}

function to(link: LinkLife, state: LinkState): LinkTransition {
  return { life: state === link.state ? link : { ...link, state }, actions: [] };
}

function impossible(link: LinkLife, event: LinkEvent): never {
  throw new ImpossibleLinkEventError(link.peer, link.state, event.type);
}
