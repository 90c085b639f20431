// Service output into the log store: rotated files under var/log/fortros/<name>/ (or stdout for containers).
// The store drops and counts lines it cannot keep up with, so pipes are read at full speed: logging never
// blocks a service.
import type { LogStore } from '../log/index.js';
import type { OutputFactory, OutputSink } from './output-sink.js';

export function createLogStoreOutput(store: LogStore): OutputFactory {
  return {
    pipeOptions: { rateBytesPerSec: Number.POSITIVE_INFINITY, burstBytes: Number.POSITIVE_INFINITY },
    open(service: string): OutputSink {
      let closed = false;
      return {
        writeLine: (line) => {
          if (!closed) store.for(service).write(line);
        },
        // The store closes every log at exit; a service that comes back appends to the same log.
        close: () => {
          closed = true;
        },
      };
    },
  };
}
