// fortros-keys' opt-in Prometheus metrics (`--metrics HOST:PORT`): derivations and refusals by reason, scraped for real
// from the key service booted by fortros-init.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serviceLogDir } from '@fortros/core';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { clientResult, fortctl, keysTree } from '../harness/keys.js';
import { waitUntil } from '../harness/wait.js';

/** The `http://HOST:PORT` the key service logged in its `metrics listening` record (it binds a port the kernel picks). */
async function metricsBase(root: string): Promise<string> {
  const log = `${serviceLogDir(root, 'key-service')}/current`;
  const address = await waitUntil(async () => {
    const text = await readFile(log, 'utf8').catch(() => '');
    const line = text.split('\n').find((l) => l.includes('"metrics listening"')); // a TAI64N stamp, then the JSON record
    return line ? /"address":"([^"]+)"/.exec(line)?.[1] : undefined;
  });
  return `http://${address}`;
}

/** The value of the sample `name{labels}` (exact text match of the series), or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('keys: metrics', () => {
  cleanupAfterEach();

  it('counts derivations and refusals by reason at GET /metrics', async () => {
    const init = await InitProcess.start(keysTree({ alpha: ['tls', 'db'] }, '--metrics 127.0.0.1:0'));
    for (const purpose of ['tls', 'db']) assert.equal((await clientResult(init.root, 'alpha', purpose)).code, 0);
    // the test itself is not a service under init: refused, unattributed
    const outsider = await fortctl(['--root', init.root, 'key', 'derive', '--purpose', 'tls']);
    assert.equal(outsider.code, 1, outsider.stderr);

    const base = await metricsBase(init.root);
    const body = await waitUntil(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return (sample(text, 'fortros_keys_refusals_total{reason="unattributed"}') ?? 0) >= 1 ? text : undefined;
    });
    assert.match(body, /^# TYPE fortros_keys_derivations_total counter$/m);
    assert.equal(sample(body, 'fortros_keys_derivations_total'), 2);
    assert.equal(sample(body, 'fortros_keys_refusals_total{reason="unattributed"}'), 1);
    assert.equal(sample(body, 'fortros_keys_refusals_total{reason="denied"}'), 0);
    assert.equal(sample(body, 'fortros_keys_refusals_total{reason="service_rate"}'), 0);
    assert.equal(sample(body, 'fortros_keys_master_key_loaded'), 1);
    assert.ok(sample(body, 'fortros_keys_process_cpu_seconds_total') !== undefined, 'the process metrics, prefixed');
  });
});
