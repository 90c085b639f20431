// SignalRouter: signals before boot attaches are recorded (bounded) and delivered on attach; after, routed directly.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { MAX_EARLY_SIGNALS } from '../src/constants.js';
import { SignalRouter, unusedSignals } from '../src/signal-router.js';

function fakeProcess(): EventEmitter & { raise(signal: NodeJS.Signals): void } {
  const emitter = new EventEmitter() as EventEmitter & { raise(signal: NodeJS.Signals): void };
  emitter.raise = (signal) => void emitter.emit(signal);
  return emitter;
}

const microtasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SignalRouter', () => {
  it('records a signal that arrives before its handler and delivers it once attached', async () => {
    const proc = fakeProcess();
    const router = new SignalRouter(proc, ['SIGTERM', 'SIGHUP']);
    router.install();
    proc.raise('SIGHUP');
    assert.equal(router.recorded().get('SIGHUP'), 1);
    const got: string[] = [];
    router.attach('SIGTERM', () => got.push('term'));
    router.attach('SIGHUP', () => got.push('hup'));
    assert.deepEqual(got, [], 'delivered after the attaching code, not inside it');
    await microtasks();
    assert.deepEqual(got, ['hup']);
    assert.equal(router.recorded().size, 0);
    proc.raise('SIGTERM');
    assert.deepEqual(got, ['hup', 'term'], 'routed straight to the handler once attached');
  });

  it(`keeps at most ${MAX_EARLY_SIGNALS} early signals of one kind`, async () => {
    const proc = fakeProcess();
    const router = new SignalRouter(proc, ['SIGTERM']);
    router.install();
    for (let i = 0; i < 10; i++) proc.raise('SIGTERM');
    let n = 0;
    router.attach('SIGTERM', () => n++);
    await microtasks();
    assert.equal(n, MAX_EARLY_SIGNALS);
  });

  it('installs once, refuses a signal it does not route, and uninstalls every listener', () => {
    const proc = fakeProcess();
    const router = new SignalRouter(proc, ['SIGTERM', 'SIGINT']);
    router.install();
    router.install();
    assert.equal(proc.listenerCount('SIGTERM'), 1);
    assert.throws(() => router.attach('SIGUSR2', () => {}), /SIGUSR2 is not routed/);
    router.uninstall();
    router.uninstall();
    assert.equal(proc.listenerCount('SIGTERM'), 0);
    assert.equal(proc.listenerCount('SIGINT'), 0);
  });

  it('catches every harmful signal it does not use and only reports it', () => {
    const unused = unusedSignals(['SIGTERM', 'SIGHUP', 'SIGUSR1']);
    for (const sig of ['SIGUSR2', 'SIGQUIT', 'SIGPIPE', 'SIGALRM', 'SIGTSTP', 'SIGTTIN', 'SIGABRT'] as const) assert.ok(unused.includes(sig), sig);
    for (const sig of ['SIGTERM', 'SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGCHLD', 'SIGIOT', 'SIGPOLL'] as const) assert.ok(!unused.includes(sig), sig);
    const proc = fakeProcess();
    const router = new SignalRouter(proc, ['SIGTERM'], MAX_EARLY_SIGNALS, ['SIGUSR2', 'SIGQUIT']);
    router.install();
    proc.raise('SIGUSR2'); // before onUnused: dropped, never recorded for delivery
    const got: string[] = [];
    router.onUnused((s) => got.push(s));
    proc.raise('SIGQUIT');
    assert.deepEqual(got, ['SIGQUIT']);
    assert.equal(router.recorded().size, 0);
    router.uninstall();
    assert.equal(proc.listenerCount('SIGQUIT'), 0);
  });
});
