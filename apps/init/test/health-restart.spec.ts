// Health checks on the deterministic harness (fake clock, fake spawner, checks answered by the test): checks run
// only while ready, a pass resets the count, `health-retries` failures in a row restart the service through the
// goal (dependents keep running) with the reason shown, and the node-wide cap on checks in flight holds.
import assert from 'node:assert/strict';
import { MAX_CONCURRENT_HEALTH_CHECKS } from '../src/constants.js';
import { bootPerTest, bundle, longrun, needs, SupervisorHarness, T0 } from './harness/supervisor-harness.js';

const REFUSED = 'tcp 127.0.0.1:8080: connection refused';
const checked = (extra: Record<string, string> = {}): Record<string, string> =>
  longrun({ 'health-check': 'tcp 127.0.0.1:8080\n', 'health-interval': '1000\n', 'health-retries': '3\n', ...extra });

/** Run the clock to the next check of `name`, answer it, and let the loop settle. */
async function answerNext(h: SupervisorHarness, name: string, ok: boolean, message = ok ? 'tcp 127.0.0.1:8080: connected' : REFUSED): Promise<void> {
  for (let i = 0; i < 100 && h.prober.inFlight(name).length === 0; i++) await h.advanceToNextTimer();
  h.prober.answer(name, ok, message);
  await h.settle();
}

describe('supervisor loop (fake clock): health checks', () => {
  const boot = bootPerTest();

  it('restarts a service after health-retries failures in a row, through the goal; its dependent keeps running', async () => {
    const h = await boot({ web: checked(), app: { ...longrun(), ...needs('web') }, default: bundle('app') });
    await h.sup.startService('default');
    const appPid = h.status('app').pid;
    const firstPid = h.status('web').pid;
    assert.equal(h.status('web').health?.status, 'starting');

    await answerNext(h, 'web', false);
    assert.equal(h.prober.checks[0]!.ctx.timeoutMs, 5000, 'health-timeout default');
    assert.equal(h.clock.now(), T0 + 1000, 'the first check is one interval after ready');
    await answerNext(h, 'web', false);
    assert.deepEqual(h.status('web').health && [h.status('web').health!.status, h.status('web').health!.consecutiveFailures], ['failing', 2]);
    assert.equal(h.spawner.of('web').length, 1, 'two failures of three: not restarted');
    await answerNext(h, 'web', false);

    const reason = `health check failed 3 times: ${REFUSED}`;
    assert.equal(h.spawner.of('web').length, 2, 'restarted after the third failure in a row');
    assert.ok(h.spawner.signals.some((s) => s.pid === firstPid && s.signal === 'SIGTERM'), 'the old run got its down signal');
    const s = h.status('web');
    assert.equal(s.state, 'ready');
    assert.equal(s.reason, reason, 'the reason stays until a check passes again');
    assert.deepEqual([s.health!.restarts, s.health!.lastRestartReason, s.health!.consecutiveFailures], [1, reason, 0]);
    assert.ok(h.changes.some((c) => c.name === 'web' && c.reason === reason && c.from === 'ready'), 'the reason is on the event stream');
    assert.deepEqual(h.entered('web', 'stopping').length, 1);
    assert.equal(h.status('app').pid, appPid, 'the dependent was not restarted');
    assert.equal(h.state('app'), 'ready');

    await answerNext(h, 'web', true);
    assert.deepEqual([h.status('web').reason, h.status('web').health!.status], ['', 'healthy']);
  });

  it('a passing check never restarts, and a pass resets the failures in a row', async () => {
    const h = await boot({ web: checked(), default: bundle('web') });
    await h.sup.startService('default');
    for (let i = 0; i < 10; i++) await answerNext(h, 'web', i % 3 !== 2);
    await answerNext(h, 'web', false);
    await answerNext(h, 'web', false);
    await answerNext(h, 'web', true);
    const s = h.status('web');
    assert.equal(h.spawner.of('web').length, 1);
    assert.deepEqual([s.state, s.reason, s.health!.status, s.health!.restarts, s.health!.consecutiveFailures], ['ready', '', 'healthy', 0, 0]);
    assert.equal(s.health!.lastResult?.ok, true);
  });

  it('checks only while ready: none before readiness or within the start period, and a stop cancels the one in flight', async () => {
    const h = await boot({ web: checked({ 'notification-fd': '3\n', 'health-start-period': '5000\n' }), default: bundle('web') });
    const started = h.sup.startService('default');
    await h.advance(10_000);
    assert.equal(h.prober.checks.length, 0, 'not ready yet: not checked');
    h.spawner.live('web').ready();
    await started;
    const readyAt = h.clock.now();
    await h.advance(5_999);
    assert.equal(h.prober.checks.length, 0, 'start period + interval not over');
    await h.advance(1);
    assert.equal(h.prober.inFlight('web').length, 1);
    assert.equal(h.clock.now() - readyAt, 6000);
    await h.sup.stopService('web');
    assert.equal(h.prober.checks[0]!.ctx.signal.aborted, true, 'the check in flight was cancelled');
    await h.advance(60_000);
    assert.deepEqual([h.prober.checks.length, h.status('web').health!.status], [1, 'off']);
  });

  it(`runs at most ${MAX_CONCURRENT_HEALTH_CHECKS} checks at once; the others wait for a slot`, async () => {
    const names = Array.from({ length: MAX_CONCURRENT_HEALTH_CHECKS + 4 }, (_, i) => `s${i}`);
    const h = await boot({ ...Object.fromEntries(names.map((n) => [n, checked()])), default: bundle(...names) });
    await h.sup.startService('default');
    await h.advance(1000);
    assert.equal(h.prober.inFlight().length, MAX_CONCURRENT_HEALTH_CHECKS);
    for (const c of h.prober.inFlight()) c.answer({ ok: true, message: 'ok' });
    await h.settle();
    assert.equal(h.prober.inFlight().length, 4, 'the waiting ones ran once slots freed');
    assert.equal(h.prober.maxInFlight, MAX_CONCURRENT_HEALTH_CHECKS);
    assert.ok(names.every((n) => h.status(n).health!.status !== 'off'));
  });

  it('a service without health-check has no health field', async () => {
    const h = await boot({ plain: longrun(), default: bundle('plain') });
    await h.sup.startService('default');
    assert.equal('health' in h.status('plain'), false);
  });
});
