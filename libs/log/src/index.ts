// Structured, scoped logging: one line per record (logfmt or JSON), written through a non-blocking sink.
export { createLogger, type Logger, type LogFields, type LogLevel, type LoggerOptions, type LogFormat, LOG_FORMATS, LOG_LEVELS } from './logger.js';
export { createStderrSink, type LineSink } from './sink.js';
