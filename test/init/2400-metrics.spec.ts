// Opt-in Prometheus metrics (`--metrics HOST:PORT`): service state, restarts and time to ready at GET /metrics,
// in the Prometheus text exposition format (HELP and TYPE before the samples), and nothing without the flag.
import assert from 'node:assert/strict';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { waitUntil } from '../harness/wait.js';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** `name{label="value",…} value`; a value is a float, NaN or ±Inf (optionally a timestamp after it). */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (-?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|[-+]?Inf))( -?\d+)?$/;

/** init binds a port the kernel picks (no free-port race) and logs the address it got. */
const METRICS_ARGS = ['--metrics', '127.0.0.1:0'];

/** The `http://HOST:PORT` init's metrics listener announced in its `metrics listening` record. */
async function metricsBase(init: InitProcess): Promise<string> {
  const listening = await init.waitForRecord((r) => r.msg === 'metrics listening', { what: 'the metrics listener' });
  const address = String(listening.address);
  assert.match(address, /^127\.0\.0\.1:[1-9]\d*$/, 'the bound address, with the port the kernel chose');
  return `http://${address}`;
}

interface Family {
  help?: string;
  type?: string;
  samples: { labels: Record<string, string>; value: number }[];
}

/** Parse the text format strictly: every line a comment or a sample; a family's HELP and TYPE precede its samples. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      assert.match(name!, NAME, line);
      const f = family(name!);
      assert.equal(f.samples.length, 0, `${kind} of ${name} comes before its samples`);
      if (kind === 'HELP') f.help = rest;
      else {
        assert.match(rest!, /^(counter|gauge|histogram|summary|untyped)$/, line);
        f.type = rest;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    assert.ok(m, `a sample line in the text format: ${JSON.stringify(line)}`);
    const [, name, labelText, value] = m;
    const base = families.has(name!) ? name! : name!.replace(/_(bucket|sum|count)$/, '');
    const labels: Record<string, string> = {};
    for (const [, k, v] of (labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    family(base).samples.push({ labels, value: Number(value) });
  }
  return families;
}

async function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('init: Prometheus metrics', () => {
  cleanupAfterEach();

  it('serves service state, restarts and time to ready at /metrics in the text format', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      x: { type: 'longrun', notificationFd: 3, run: 'sleep 0.3\necho >&3\nexec sleep 1000' },
      // crashes once, then stays up: one restart
      flaky: { type: 'longrun', run: 'if [ -e "$FORTROS_ROOT/crashed" ]; then exec sleep 1000; fi\ntouch "$FORTROS_ROOT/crashed"\nexit 1' },
      idle: { type: 'longrun', run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['x', 'flaky'] },
    }, { args: METRICS_ARGS });
    const base = await metricsBase(init);
    const url = `${base}/metrics`;

    // flaky is restarted after at least 1 s; wait until the metrics show it
    let families = new Map<string, Family>();
    await waitUntil(async () => {
      const r = await scrape(url);
      assert.equal(r.status, 200);
      families = parseExposition(r.body);
      const restarts = families.get('fortros_init_service_restarts_total')?.samples.find((s) => s.labels.service === 'flaky');
      const x = families.get('fortros_init_service_state')?.samples.find((s) => s.labels.service === 'x' && s.labels.state === 'ready');
      return restarts?.value === 1 && x?.value === 1;
    }, { timeoutMs: 20_000, what: 'flaky restarted once and x ready in /metrics' });
    const r = await scrape(url);
    assert.match(r.type, /^text\/plain; version=0\.0\.4/);
    assert.match(r.body, /^fortros_init_service_state\{service="x",state="ready"\} 1$/m);

    const state = families.get('fortros_init_service_state')!;
    assert.equal(state.type, 'gauge');
    assert.ok(state.help, 'HELP for service_state');
    // one sample per (service, state); exactly one state is 1 per service
    for (const service of ['x', 'flaky', 'idle', 'default']) {
      const mine = state.samples.filter((s) => s.labels.service === service);
      assert.equal(mine.length, 7, `${service}: one sample per state`);
      assert.equal(mine.filter((s) => s.value === 1).length, 1, `${service}: in exactly one state`);
    }
    assert.equal(state.samples.find((s) => s.labels.service === 'idle' && s.labels.state === 'inactive')?.value, 1);

    const restarts = families.get('fortros_init_service_restarts_total')!;
    assert.ok(restarts.help && restarts.type, 'HELP and TYPE for restarts_total');
    assert.equal(restarts.samples.find((s) => s.labels.service === 'x')?.value, 0);

    const ttr = families.get('fortros_init_service_time_to_ready_seconds')!;
    assert.equal(ttr.type, 'gauge');
    assert.ok(ttr.help);
    const xReady = ttr.samples.find((s) => s.labels.service === 'x')?.value ?? NaN;
    assert.ok(xReady >= 0.25 && xReady < 60, `x took its 0.3 s sleep to get ready (seconds, not ms): ${xReady}`);
    assert.equal(ttr.samples.find((s) => s.labels.service === 'idle'), undefined, 'no time to ready for a service never started');

    // prom-client's process metrics come with the init prefix; other paths are 404
    assert.ok(families.has('fortros_init_process_cpu_seconds_total'), 'default process metrics');
    assert.equal((await scrape(`${base}/`)).status, 404);
  });

  it('the restarts family is exposed as a counter (its name ends in _total)', async () => {
    const init = await InitProcess.start({ a: { type: 'longrun', run: 'exec sleep 1000' }, default: { type: 'bundle', contents: ['a'] } }, { args: METRICS_ARGS });
    const families = parseExposition((await scrape(`${await metricsBase(init)}/metrics`)).body);
    assert.equal(families.get('fortros_init_service_restarts_total')?.type, 'counter');
  });

  it('serves no metrics without --metrics', async () => {
    const init = await InitProcess.start({ a: { type: 'longrun', run: 'exec sleep 1000' }, default: { type: 'bundle', contents: ['a'] } });
    await init.waitForState('default', 'ready');
    assert.ok(!init.records.some((r) => r.msg === 'metrics listening'));
  });
});
