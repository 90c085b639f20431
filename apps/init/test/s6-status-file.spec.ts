// supervise/status as s6-supervise packs it (35 bytes), and how a service's state maps onto it.
import assert from 'node:assert/strict';
import { S6_STATUS_BYTES, packStatus, s6StatusOf, tain, waitStatus } from '../src/s6compat/status-file.js';
import { ServiceState } from '../src/service/lifecycle.js';

describe('s6 status file', () => {
  it('packs stamps as skalibs TAI64N (2^62 + 37 s at the epoch), pid u64 and wstat u16 big-endian, then flags', () => {
    assert.equal(tain(1500).toString('hex'), '4000000000000026' + '1dcd6500');
    const b = packStatus({ stampMs: 0, readyStampMs: 1000, pid: 4242, wstat: 0x0f, paused: false, finishing: false, wantUp: true, ready: true });
    assert.equal(b.length, S6_STATUS_BYTES);
    assert.equal(b.subarray(0, 8).toString('hex'), '4000000000000025');
    assert.equal(b.readBigUInt64BE(24), 4242n);
    assert.equal(b.readUInt16BE(32), 0x0f);
    assert.equal(b[34], 4 | 8);
  });

  it('maps states: up with its pid (ready or not), down with the wait status of the last exit', () => {
    assert.equal(waitStatus({ code: 3, signal: null }), 3 << 8);
    assert.equal(waitStatus({ code: null, signal: 15 }), 15);
    const starting = s6StatusOf({ state: ServiceState.starting, pid: 10, lastExit: null }, undefined, 1000);
    assert.deepEqual([starting.pid, starting.ready, starting.wantUp, starting.stampMs], [10, false, true, 1000]);
    const ready = s6StatusOf({ state: ServiceState.ready, pid: 10, lastExit: null }, starting, 2000);
    assert.deepEqual([ready.ready, ready.stampMs, ready.readyStampMs], [true, 1000, 2000], 'the up stamp is kept');
    const stopping = s6StatusOf({ state: ServiceState.stopping, pid: 10, lastExit: null }, ready, 3000);
    assert.equal(stopping.wantUp, false);
    const down = s6StatusOf({ state: ServiceState.inactive, pid: 0, lastExit: { code: null, signal: 15 } }, stopping, 4000);
    assert.deepEqual([down.pid, down.wstat, down.wantUp, down.stampMs], [0, 15, false, 4000]);
  });
});
