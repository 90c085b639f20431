// @fortros/views' contract as its users see it: wire enums to §6 names, unknown values named `unknown`, XML escaping,
// and one colour per state for every state (so a page or a plot never draws a state without one).
import assert from 'node:assert/strict';
import { byWire, escapeXml, memberStateName, STATE_NAMES, STATE_STYLES, stateName, tickStep, typeName } from '../src/index.js';

describe('views: wire names', () => {
  it('maps PREFIX_NAME to name and anything else to unknown', () => {
    assert.deepEqual(byWire('X_', ['ab', 'cd']), { X_AB: 'ab', X_CD: 'cd' });
    assert.equal(stateName('SERVICE_STATE_READY'), 'ready');
    assert.equal(stateName(99), 'unknown');
    assert.equal(typeName('SERVICE_TYPE_ONESHOT'), 'oneshot');
    assert.equal(memberStateName('MEMBER_STATE_SUSPECT'), 'suspect');
    assert.equal(memberStateName(undefined), 'unknown');
  });
  it('has a colour for every state, unknown included', () => {
    for (const s of [...STATE_NAMES, 'unknown' as const]) assert.match(STATE_STYLES[s].fill, /^#[0-9a-f]{6}$/);
  });
});

describe('views: SVG helpers', () => {
  it('escapes markup and drops characters XML forbids', () => {
    assert.equal(escapeXml(`<a b="c" d='e'>&\x01</a>`), '&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;&lt;/a&gt;');
  });
  it('picks 1, 2 or 5 × 10^k ms ticks', () => {
    assert.equal(tickStep(100), 10);
    assert.equal(tickStep(1_000), 100);
    assert.equal(tickStep(2_500), 500);
  });
});
