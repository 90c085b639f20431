// Service output with --log stderr: lines prefixed with the service name; a flooding service never stalls init.
import assert from 'node:assert/strict';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { waitUntil } from '../harness/wait.js';

/** These tests read service output from init's stderr (`--log stderr`); files are the default. */
const STDERR = { args: ['--log', 'stderr'] };

describe('init: service output', () => {
  cleanupAfterEach();

  it('prefixes complete lines with the service name and flushes a partial last line', async () => {
    const init = await InitProcess.start({
      talker: { type: 'longrun', run: `echo 'hello out'\necho 'hello err' >&2\nprintf 'no newline'\nexit 0`, finish: 'exit 125' },
      default: { type: 'bundle', contents: ['talker'] },
    }, STDERR);
    await waitUntil(() => ['talker: hello out', 'talker: hello err', 'talker: no newline'].every((l) => init.output.includes(l)), {
      what: 'the three output lines',
    });
  });

  it('splits a very long line instead of buffering it whole', async () => {
    const init = await InitProcess.start({
      long: { type: 'longrun', run: `head -c 100000 /dev/zero | tr '\\0' x\necho\nexec sleep 1000` },
      default: { type: 'bundle', contents: ['long'] },
    }, STDERR);
    await waitUntil(() => init.output.filter((l) => /^long: x+$/.test(l)).length >= 2, { what: 'the long line, split' });
  });

  it('keeps supervising while a service floods its output', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      flood: { type: 'longrun', run: 'exec yes' },
      gate: { type: 'longrun', notificationFd: 3, dependencies: ['flood'], run: 'sleep 0.5\necho >&3\nexec sleep 1000' },
      after: { type: 'longrun', dependencies: ['gate'], run: 'exec sleep 1000' },
      crashy: { type: 'longrun', dependencies: ['flood'], run: 'sleep 0.3\nexit 1' },
      default: { type: 'bundle', contents: ['after', 'crashy'] },
    }, STDERR);
    await init.waitForState('after', 'ready', { timeoutMs: 15_000 });
    // timers still fire (crash backoff → restart) and init answers a status request
    await init.waitForRecord((r) => r.msg === 'service state' && r.service === 'crashy' && r.from === 'backoff' && r.to === 'starting', { timeoutMs: 15_000 });
    const status = await init.status({ timeoutMs: 15_000 });
    assert.equal(status.get('flood')!.state, 'ready');
    assert.ok(init.output.some((l) => l === 'flood: y'), 'the flood reaches stderr');
    init.signal('SIGTERM');
    assert.equal((await init.waitForExit({ timeoutMs: 20_000 })).code, 0);
  });
});
