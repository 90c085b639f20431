// Pipelines: one close-on-exec pipe per consumer, shared by its producers, closed once the pipeline is gone.
import assert from 'node:assert/strict';
import { fstatSync, readSync, writeSync } from 'node:fs';
import { createLogger } from '@fortros/log';
import type { ServiceDefinition } from '@fortros/servicedir';
import { createCloexecPipe } from '../src/process/pipe.js';
import { Pipelines } from '../src/supervisor/pipelines.js';

function def(name: string, over: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name, type: 'longrun', dir: `/s/${name}`, run: `/s/${name}/run`, dependencies: [], contents: [], timeoutUpMs: 0, timeoutDownMs: 0,
    timeoutKillMs: 0, downSignal: 'SIGTERM', consumerFor: [], essential: false, env: {}, restartDelayMaxMs: 0, ...over,
  };
}

const isOpen = (fd: number): boolean => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

describe('log pipelines: the pipes init holds', () => {
  const a = def('a', { producerFor: 'sink' });
  const b = def('b', { producerFor: 'sink' });
  const sink = def('sink', { consumerFor: ['a', 'b'] });

  it('gives producers the write end and the consumer the read end of one shared pipe', () => {
    const p = new Pipelines(createCloexecPipe, createLogger({ sink: { write: () => undefined } }));
    const fa = p.fdsFor(a);
    const fb = p.fdsFor(b);
    const fs = p.fdsFor(sink);
    assert.equal(fa.stdinFd, undefined);
    assert.equal(fa.stdoutFd, fb.stdoutFd);
    assert.equal(fs.stdoutFd, undefined);
    writeSync(fa.stdoutFd!, 'line\n');
    const buf = Buffer.alloc(16);
    assert.equal(buf.subarray(0, readSync(fs.stdinFd!, buf)).toString(), 'line\n');
    assert.deepEqual(p.fdsFor(def('plain')), { stdinFd: undefined, stdoutFd: undefined });
    p.prune([a, sink]); // one producer left: kept
    assert.ok(isOpen(fs.stdinFd!) && isOpen(fa.stdoutFd!));
    p.prune([a, b]); // the consumer is gone: closed
    assert.ok(!isOpen(fs.stdinFd!) && !isOpen(fa.stdoutFd!));
  });

  it('closes every pipe when init exits, and names the consumer when a pipe cannot be made', () => {
    const p = new Pipelines(createCloexecPipe, createLogger({ sink: { write: () => undefined } }));
    const fds = p.fdsFor(sink);
    p.closeAll();
    assert.ok(!isOpen(fds.stdinFd!));
    const failing = new Pipelines(() => {
      throw new Error('pipe2: EMFILE');
    }, createLogger({ sink: { write: () => undefined } }));
    assert.throws(() => failing.fdsFor(a), { name: 'PipelineError', message: 'cannot create the log pipeline pipe of consumer "sink": pipe2: EMFILE' });
  });
});
