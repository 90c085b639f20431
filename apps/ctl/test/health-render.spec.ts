// A service's health check as fortctl shows it: the `health` JSON object (absent without a check) and the
// `health*` lines of `status NAME`.
import assert from 'node:assert/strict';
import type { InitV1 } from '@fortros/proto';
import { serviceToJson } from '@fortros/views';
import { renderServiceStatus } from '../src/render/service-text.js';
import { service, T0, ts } from './wire-builders.js';

const NOW = new Date(T0 + 60_000);
const REASON = 'health check failed 3 times: tcp 127.0.0.1:8080: connection refused';
const HEALTH: InitV1.Health__Output = {
  check: 'tcp 127.0.0.1:8080',
  status: 'HEALTH_STATUS_FAILING',
  consecutiveFailures: 1,
  retries: 3,
  lastResult: { ok: false, message: 'tcp 127.0.0.1:8080: connection refused', at: ts(5) },
  restarts: 2,
  lastRestartReason: REASON,
};

describe('health (render/service-json, render/service-text)', () => {
  it('maps Health to stable JSON names; no health field without a check', () => {
    assert.deepEqual(serviceToJson(service({ name: 'db', health: HEALTH })).health, {
      check: 'tcp 127.0.0.1:8080',
      status: 'failing',
      consecutiveFailures: 1,
      retries: 3,
      lastResult: { ok: false, message: 'tcp 127.0.0.1:8080: connection refused', at: '2025-01-01T00:00:00.005Z' },
      restarts: 2,
      lastRestartReason: REASON,
    });
    assert.equal('health' in serviceToJson(service({ name: 'plain' })), false);
    const fresh = serviceToJson(service({ name: 'db', health: { ...HEALTH, status: 'HEALTH_STATUS_STARTING', lastResult: null, restarts: 0, lastRestartReason: '' } })).health;
    assert.deepEqual([fresh?.status, fresh?.lastResult, fresh?.lastRestartReason], ['starting', null, null]);
  });

  it('prints the health lines in `status NAME`', () => {
    const text = renderServiceStatus(service({ name: 'db', health: HEALTH }), NOW).join('\n');
    assert.match(text, /^health: +failing \(tcp 127\.0\.0\.1:8080\)$/m);
    assert.match(text, /^health\.lastResult: +failed at 2025-01-01T00:00:00\.005Z: tcp 127\.0\.0\.1:8080: connection refused$/m);
    assert.match(text, /^health\.consecutiveFailures: +1 of 3$/m);
    assert.match(text, /^health\.restarts: +2$/m);
    assert.match(text, new RegExp(`^health\\.lastRestartReason: +${REASON.replaceAll('.', '\\.')}$`, 'm'));
    assert.doesNotMatch(renderServiceStatus(service({ name: 'plain' }), NOW).join('\n'), /health/);
  });
});
