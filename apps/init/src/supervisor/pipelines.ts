// Log pipelines (s6-rc `producer-for` / `consumer-for`): one pipe per consumer, made by init and held open by
// init for as long as the consumer and one of its producers exist. So a consumer restart loses no line still
// in the pipe and its producers never get EPIPE, and a producer restart never gives the consumer EOF. Several
// producers of one consumer share its pipe (a funnel).
import { closeSync } from 'node:fs';
import type { Logger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import { PipelineError } from '../errors.js';
import type { PipeMaker } from '../process/pipe.js';

interface Pipe {
  read: number;
  write: number;
}

export class Pipelines {
  /** By consumer name; at most one per service (bounded by the tree). */
  private readonly pipes = new Map<string, Pipe>();

  constructor(
    private readonly makePipe: PipeMaker,
    private readonly log: Logger,
  ) {}

  /** The fds a process of `def` gets: a consumer reads its own pipe, a producer writes its consumer's. */
  fdsFor(def: ServiceDefinition): { stdinFd?: number; stdoutFd?: number } {
    if (def.type !== 'longrun') return {};
    return {
      stdinFd: def.consumerFor.length > 0 ? this.pipeOf(def.name).read : undefined,
      stdoutFd: def.producerFor !== undefined ? this.pipeOf(def.producerFor).write : undefined,
    };
  }

  /**
   * Close every pipe whose consumer, or every producer, is gone. `defs` are all the definitions in force
   * (a service's current one and the one it takes at its next start).
   */
  prune(defs: Iterable<ServiceDefinition>): void {
    const consumers = new Set<string>();
    const fed = new Set<string>();
    for (const d of defs) {
      if (d.type !== 'longrun') continue;
      if (d.consumerFor.length > 0) consumers.add(d.name);
      if (d.producerFor !== undefined) fed.add(d.producerFor);
    }
    for (const name of [...this.pipes.keys()]) if (!consumers.has(name) || !fed.has(name)) this.close(name);
  }

  /** init is exiting: close every pipe. */
  closeAll(): void {
    for (const name of [...this.pipes.keys()]) this.close(name);
  }

  private pipeOf(consumer: string): Pipe {
    let p = this.pipes.get(consumer);
    if (p === undefined) {
      let fds: [number, number];
      try {
        fds = this.makePipe();
      } catch (err) {
        throw new PipelineError(consumer, (err as Error).message);
      }
      p = { read: fds[0], write: fds[1] };
      this.pipes.set(consumer, p);
      this.log.debug('pipeline opened', { consumer, read: p.read, write: p.write });
    }
    return p;
  }

  private close(consumer: string): void {
    const p = this.pipes.get(consumer)!;
    this.pipes.delete(consumer);
    for (const fd of [p.read, p.write]) {
      try {
        closeSync(fd);
      } catch (err) {
        this.log.warn('closing a pipeline fd failed', { consumer, fd, err });
      }
    }
    this.log.info('pipeline closed', { consumer });
  }
}
