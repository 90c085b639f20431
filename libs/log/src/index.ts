// Structured, scoped logging: one line per record (logfmt or JSON), written through a non-blocking sink.
export { createLogger, type Logger, type LogFields, type LogLevel, type LoggerOptions, type LogFormat, LOG_FORMATS, LOG_LEVELS } from './logger.js';
export { createStderrSink, type LineSink } from './sink.js';
export { TAI64N_LENGTH, tai64nFromNanos, nanosFromTai64n, Tai64nEncoder, dateFromTai64n, rotatedLabel, rotatedName } from './tai64n.js';
