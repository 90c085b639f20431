// The rules every FortrOS app shares: node paths, signal names, a bounded queue, a backoff, expected/got messages.
export { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV, nodePaths, resolveRoot, serviceLogDir, type NodePathName, type NodePaths } from './paths.js';
export { SIGNAL_NAMES, checkSignal, parseSignalName, signalNumber, type SignalCheck } from './signals.js';
export { BoundedQueue, type BoundedQueueOptions } from './bounded-queue.js';
export { doublingBackoffMs } from './backoff.js';
export { describeValue, expectedGot, fieldExpected } from './expect.js';
export { QueueOverflowError, SignalNameError } from './errors.js';
export { GOT_MAX_CHARS, SIGNAL_RULE_TEXT } from './constants.js';
export { assertNever } from './assert-never.js';
export { checkHostPort, formatHostPort, type HostPort } from './host-port.js';
