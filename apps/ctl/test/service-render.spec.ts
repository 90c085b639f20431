// Renderers of services and stream records: the JSON mapping, the table, status, events and logs.
import assert from 'node:assert/strict';
import type { InitV1 } from '@fortros/proto';
import { serviceToJson, stateName, typeName, wireState, STATE_NAMES } from '@fortros/views';
import { renderServicesTable, renderServiceStatus, renderServiceSummary, SERVICE_TABLE_HEADER } from '../src/render/service-text.js';
import { eventToJson, formatEvent, formatLogLine, logLineToJson } from '../src/render/stream-lines.js';
import { formatAge, formatDuration } from '@fortros/views';
import { service, T0, ts } from './wire-builders.js';

const NOW = new Date(T0 + 65_000);

describe('service JSON mapping (render/service-json)', () => {
  const states: [string | number, string][] = [
    ['SERVICE_STATE_INACTIVE', 'inactive'],
    ['SERVICE_STATE_BLOCKED', 'blocked'],
    ['SERVICE_STATE_STARTING', 'starting'],
    ['SERVICE_STATE_READY', 'ready'],
    ['SERVICE_STATE_STOPPING', 'stopping'],
    ['SERVICE_STATE_BACKOFF', 'backoff'],
    ['SERVICE_STATE_FAILED', 'failed'],
    ['SERVICE_STATE_UNSPECIFIED', 'unknown'],
    [42, 'unknown'],
  ];
  for (const [wire, name] of states) {
    it(`maps ${wire} to ${name}, in a service object too`, () => {
      assert.equal(stateName(wire), name);
      assert.equal(serviceToJson(service({ name: 'x', state: wire as InitV1.ServiceState__Output })).state, name);
    });
  }

  it('maps every DESIGN §4 state name back to its wire value', () => {
    for (const name of STATE_NAMES) assert.equal(stateName(wireState(name)), name);
    assert.equal(wireState('running'), undefined);
  });

  const types: [string, string][] = [
    ['SERVICE_TYPE_LONGRUN', 'longrun'],
    ['SERVICE_TYPE_ONESHOT', 'oneshot'],
    ['SERVICE_TYPE_BUNDLE', 'bundle'],
    ['SERVICE_TYPE_UNSPECIFIED', 'unknown'],
  ];
  for (const [wire, name] of types) it(`maps ${wire} to ${name}`, () => assert.equal(typeName(wire), name));

  it('has exactly the DESIGN §6 field names, with null for what is absent', () => {
    const j = serviceToJson(service({ name: 'idle' }));
    assert.deepEqual(Object.keys(j), ['name', 'type', 'state', 'pid', 'ready', 'restarts', 'since', 'waitingOn', 'reason', 'lastExit']);
    assert.deepEqual(j, { name: 'idle', type: 'longrun', state: 'inactive', pid: null, ready: false, restarts: 0, since: null, waitingOn: [], reason: null, lastExit: null });
  });

  it('carries pid, since as ISO 8601, waitingOn, reason and lastExit', () => {
    const j = serviceToJson(
      service({ name: 'web', state: 'SERVICE_STATE_BACKOFF', pid: 7, ready: false, restarts: 2, since: ts(1500), waitingOn: ['db'], reason: 'exited 1', lastExit: { code: -1, signal: 'SIGKILL' } }),
    );
    assert.equal(j.pid, 7);
    assert.equal(j.since, '2025-01-01T00:00:01.500Z');
    assert.deepEqual(j.waitingOn, ['db']);
    assert.equal(j.reason, 'exited 1');
    assert.deepEqual(j.lastExit, { code: -1, signal: 'SIGKILL' });
    assert.deepEqual(serviceToJson(service({ name: 'a', lastExit: { code: 3, signal: '' } })).lastExit, { code: 3, signal: null });
  });
});

describe('services table and status (render/service-text)', () => {
  const services = [
    service({ name: 'web', state: 'SERVICE_STATE_READY', ready: true, pid: 4242, since: ts(5_000), restarts: 1 }),
    service({ name: 'reconciler', state: 'SERVICE_STATE_BLOCKED', since: ts(0), waitingOn: ['maintainer', 'key-service'] }),
    service({ name: 'key-service', state: 'SERVICE_STATE_BACKOFF', since: ts(60_000), reason: 'exited 1', restartAt: ts(68_000), lastExit: { code: 1, signal: '' } }),
    service({ name: 'a', type: 'SERVICE_TYPE_ONESHOT' }),
  ];

  it('prints the header and one aligned row per service, sorted by name', () => {
    const lines = renderServicesTable(services, NOW);
    assert.deepEqual(lines[0]!.split(/\s+/), [...SERVICE_TABLE_HEADER]);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['a', 'key-service', 'reconciler', 'web']);
    for (const col of SERVICE_TABLE_HEADER.slice(1)) {
      const at = lines[0]!.indexOf(col);
      for (const l of lines.slice(1)) assert.notEqual(l[at - 1], undefined, `row shorter than column ${col}: ${l}`);
      for (const l of lines.slice(1)) assert.equal(l[at - 1], ' ', `column ${col} not aligned in: ${l}`);
    }
    for (const l of lines) assert.equal(l, l.trimEnd());
  });

  it('shows pid, age, restarts, what a blocked service waits on, and a backoff reason with its restart time', () => {
    const [, a, key, rec, web] = renderServicesTable(services, NOW);
    assert.match(web!, /^web\s+longrun\s+ready\s+4242\s+1m00s\s+1\s+-$/);
    assert.match(rec!, /blocked\s+-\s+1m05s\s+0\s+waiting on maintainer, key-service$/);
    assert.match(key!, /backoff\s+-\s+5s\s+0\s+exited 1; restart in 3s$/);
    assert.match(a!, /^a\s+oneshot\s+inactive\s+-\s+-\s+0\s+-$/);
  });

  it('says "waiting on" once when init\'s reason already says it, and keeps a failed dependency\'s reason', () => {
    const waits = service({ name: 'b', state: 'SERVICE_STATE_BLOCKED', since: ts(0), waitingOn: ['a'], reason: 'waiting on a' });
    assert.match(renderServicesTable([waits], NOW)[1]!, /\s0\s+waiting on a$/);
    assert.equal(renderServiceSummary(waits, NOW), 'b: blocked - waiting on a');
    const failedDep = service({ name: 'b', state: 'SERVICE_STATE_BLOCKED', since: ts(0), waitingOn: ['a'], reason: 'dependency a failed: exited 1' });
    assert.match(renderServicesTable([failedDep], NOW)[1]!, /waiting on a; dependency a failed: exited 1$/);
  });

  it('status prints key: value lines including waitingOn, reason and lastExit', () => {
    const lines = renderServiceStatus(services[2]!, NOW);
    const kv = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    assert.equal(kv['state'], 'backoff');
    assert.equal(kv['reason'], 'exited 1');
    assert.equal(kv['lastExit'], 'code 1');
    assert.equal(kv['waitingOn'], '-');
    assert.match(kv['restartAt']!, /^2025-01-01T00:01:08.000Z \(restart in 3s\)$/);
    const blocked = renderServiceStatus(services[1]!, NOW).join('\n');
    assert.match(blocked, /^waitingOn: +maintainer, key-service$/m);
    assert.match(renderServiceStatus(service({ name: 'k', lastExit: { code: -1, signal: 'SIGKILL' } }), NOW).join('\n'), /^lastExit: +signal SIGKILL$/m);
  });
});

describe('stream records (render/stream-lines)', () => {
  it('events as JSON objects and lines', () => {
    const e = { seq: 9, at: ts(20), service: 'web', from: 'SERVICE_STATE_STARTING', to: 'SERVICE_STATE_READY', reason: '', pid: 12, current: false } as const;
    assert.deepEqual(eventToJson(e), { seq: 9, at: '2025-01-01T00:00:00.020Z', service: 'web', from: 'starting', to: 'ready', reason: null, pid: 12 });
    assert.equal(formatEvent(e), '2025-01-01T00:00:00.020Z web starting -> ready pid=12');
  });

  it('log lines as {service, at, line} and as TIMESTAMP LINE, control characters escaped for the terminal', () => {
    const l = { service: 'web', at: ts(1), line: 'hello \x1b[31mred\ttab' };
    assert.deepEqual(logLineToJson(l), { service: 'web', at: '2025-01-01T00:00:00.001Z', line: 'hello \x1b[31mred\ttab' });
    assert.equal(formatLogLine(l), '2025-01-01T00:00:00.001Z hello \\x1b[31mred\ttab');
  });
});

describe('durations (render/time-format)', () => {
  const cases: [number, string, string][] = [
    [0, '0ms', '0s'],
    [850, '850ms', '0s'],
    [1204, '1.204s', '1s'],
    [12_500, '12.5s', '12s'],
    [184_000, '3m04s', '3m04s'],
    [7_500_000, '2h05m', '2h05m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d04h', '3d04h'],
  ];
  for (const [ms, duration, age] of cases) it(`${ms} ms is ${duration} / ${age}`, () => {
    assert.equal(formatDuration(ms), duration);
    assert.equal(formatAge(ms), age);
  });
});
