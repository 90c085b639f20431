import assert from 'node:assert/strict';
import { createLogger, type LineSink } from '../src/index.js';

function memorySink(): LineSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (l) => lines.push(l) };
}

describe('logger', () => {
  const clock = () => new Date('2026-01-02T03:04:05.000Z');

  it('renders logfmt with child scope fields and quotes values that need it', () => {
    const sink = memorySink();
    const log = createLogger({ sink, clock }).child({ component: 'init:supervisor' });
    log.info('service ready', { service: 'web', detail: 'two words' });
    assert.equal(sink.lines[0], 'time=2026-01-02T03:04:05.000Z level=info msg="service ready" component=init:supervisor service=web detail="two words"');
  });

  it('escapes newlines so one record is one line', () => {
    const sink = memorySink();
    createLogger({ sink, clock }).warn('a\nb');
    assert.equal(sink.lines.length, 1);
    assert.ok(!sink.lines[0]!.includes('\n'));
  });

  it('filters below the level and renders JSON on request', () => {
    const sink = memorySink();
    const log = createLogger({ sink, clock, level: 'warn', format: 'json' });
    log.info('hidden');
    log.error('shown', { err: new Error('boom') });
    assert.equal(sink.lines.length, 1);
    const rec = JSON.parse(sink.lines[0]!);
    assert.equal(rec.msg, 'shown');
    assert.equal(rec.err.message, 'boom');
  });

  it('rejects an unknown level naming it', () => {
    assert.throws(() => createLogger({ sink: memorySink(), level: 'loud' as never }), /expected one of .* got loud/);
  });
});
