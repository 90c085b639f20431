// The default OutputSink: each line goes to init's stderr as `NAME: line`, through the non-blocking log sink.
import type { LineSink } from '@fortros/log';
import type { OutputFactory, OutputSink } from './output-sink.js';

export function createStderrOutput(sink: LineSink): OutputFactory {
  return {
    open(service: string): OutputSink {
      const prefix = `${service}: `;
      let closed = false;
      return {
        writeLine: (line) => {
          if (!closed) sink.write(prefix + line);
        },
        close: () => {
          closed = true;
        },
      };
    },
  };
}
