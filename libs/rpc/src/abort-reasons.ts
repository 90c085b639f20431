// The two reasons a call's signal aborts with: one shared instance each, told apart by identity (`reason === X`).
/*
 * Shared, not one per call: grpc-js ends every call with a cancel event, and a fresh DOMException per call (a stack
 * capture each) was a measurable share of a unary call's cost. Both are AbortErrors, so code that only asks "was
 * this aborted?" (err.name === 'AbortError', signal.aborted) treats them alike.
 */

/** The client cancelled, its deadline passed, or the call is over: there is nobody left to answer. */
export const CALL_OVER = new DOMException('the call was cancelled or is over', 'AbortError');

/**
 * The server is stopping: the call is cut short, and its client is told UNAVAILABLE ("<service> is stopping") so it
 * retries, reconnects or reports the daemon unreachable, rather than taking the end of a stream for a normal one.
 */
export const SERVER_STOPPING = new DOMException('the server is stopping', 'AbortError');
