import assert from 'node:assert/strict';
import { InitV1, fromTimestamp, toTimestamp } from '../src/index.js';

describe('proto loader', () => {
  it('loads the init API with every method of the contract', () => {
    const api = InitV1.loadInitApi();
    assert.equal(api.serviceName, 'fortros.init.v1.Init');
    for (const m of ['ListServices', 'GetService', 'StartService', 'StopService', 'RestartService', 'SignalService', 'WaitService', 'WatchEvents', 'ReadLogs', 'GetTimeline', 'GetGraph', 'ResolvePid', 'Shutdown']) {
      assert.ok(api.definition[m], `method ${m}`);
    }
    assert.equal(api.definition.WatchEvents!.responseStream, true);
    assert.ok(api.root.lookupType('fortros.init.v1.Service'));
  });

  it('round-trips timestamps with millisecond precision and treats zero as absent', () => {
    const d = new Date('2026-11-22T04:05:06.789Z');
    assert.equal(fromTimestamp(toTimestamp(d))!.toISOString(), d.toISOString());
    assert.equal(fromTimestamp({ seconds: 0, nanos: 0 }), undefined);
    assert.equal(fromTimestamp(null), undefined);
  });
});
