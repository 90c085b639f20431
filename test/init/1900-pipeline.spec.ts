// Log pipelines (producer-for / consumer-for): init holds the pipe between the two across restarts of either
// end, so a consumer restart loses no line and a producer restart never gives the consumer EOF.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { isAlive } from '../harness/proc.js';
import type { TreeSpec } from '../harness/tree.js';
import { readLines, waitForLines, waitUntil } from '../harness/wait.js';

/** Writes 1, 2, 3 … a line every few ms until $FORTROS_ROOT/stop exists, then records the last number. */
const PRODUCER = `i=0
while [ ! -e "$FORTROS_ROOT/stop" ]; do
  i=$((i + 1))
  echo "$i"
  sleep 0.005
done
echo "$i" > "$FORTROS_ROOT/last"
exec sleep 1000`;

/** Appends every complete stdin line to $FORTROS_ROOT/consumed; notes EOF; exits at once on SIGTERM. */
const CONSUMER = `#!${process.execPath}
const fs = require('node:fs');
const root = process.env.FORTROS_ROOT;
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const nl = pending.lastIndexOf('\\n');
  if (nl === -1) return;
  fs.appendFileSync(root + '/consumed', pending.slice(0, nl + 1));
  pending = pending.slice(nl + 1);
});
process.stdin.on('end', () => {
  fs.appendFileSync(root + '/eof', 'eof\\n');
  process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
`;

const TREE: TreeSpec = {
  prod: { type: 'longrun', producerFor: 'cons', run: PRODUCER },
  cons: { type: 'longrun', consumerFor: ['prod'], pipelineName: 'logged', run: CONSUMER },
  default: { type: 'bundle', contents: ['logged'] },
};

describe('init: log pipelines', () => {
  cleanupAfterEach();

  it('restarting the consumer loses no line of its producer', async function () {
    this.timeout(90_000);
    const init = await InitProcess.start(TREE);
    await init.waitForState('prod', 'ready');
    await init.waitForState('cons', 'ready');
    await waitForLines(init.path('consumed'), 10);
    for (let n = 0; n < 3; n++) {
      const from = init.records.length;
      const pid = init.lastPid('cons');
      process.kill(pid, 'SIGTERM'); // a crash: init restarts it after its backoff
      await init.waitForState('cons', 'ready', { afterIndex: from, timeoutMs: 30_000 });
      assert.notEqual(init.lastPid('cons'), pid);
    }
    const before = (await readLines(init.path('consumed'))).length;
    await waitForLines(init.path('consumed'), before + 10); // the last consumer reads on
    await writeFile(init.path('stop'), '');
    const last = Number((await waitForLines(init.path('last')))[0]);
    const lines = await waitForLines(init.path('consumed'), last, { timeoutMs: 30_000 });
    assert.equal(lines.length, last, 'no line twice');
    const gap = lines.findIndex((l, i) => l !== String(i + 1));
    assert.equal(gap, -1, `every number in order, the first gap at line ${gap + 1}: ${lines.slice(Math.max(0, gap - 2), gap + 3).join(' ')}`);
    assert.equal(init.transitions('prod').filter((r) => r.to === 'starting').length, 1, 'the producer never restarted (no EPIPE)');
    assert.deepEqual(await readLines(init.path('eof')), [], 'the consumer never saw EOF');
  });

  it('restarting the producer never gives the consumer EOF', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start(TREE);
    await init.waitForState('prod', 'ready');
    await init.waitForState('cons', 'ready');
    const consPid = init.lastPid('cons');
    await waitForLines(init.path('consumed'), 5);
    for (let n = 0; n < 2; n++) {
      const from = init.records.length;
      const pid = init.lastPid('prod');
      process.kill(pid, 'SIGTERM');
      await init.waitForState('prod', 'ready', { afterIndex: from, timeoutMs: 30_000 });
    }
    // each producer run starts again at 1: three runs seen through the same consumer
    await waitUntil(async () => (await readLines(init.path('consumed'))).filter((l) => l === '1').length >= 3, { what: 'lines of three producer runs' });
    assert.equal(init.lastPid('cons'), consPid);
    assert.ok(isAlive(consPid), 'the consumer is still the same process');
    assert.equal(init.transitions('cons').filter((r) => r.to === 'starting').length, 1);
    assert.deepEqual(await readLines(init.path('eof')), []);
  });

  it('funnels several producers into one consumer', async () => {
    const line = (name: string) => `echo "${name}"\nexec sleep 1000`;
    const init = await InitProcess.start({
      a: { type: 'longrun', producerFor: 'sink', run: line('from a') },
      b: { type: 'longrun', producerFor: 'sink', run: line('from b') },
      sink: { type: 'longrun', consumerFor: ['a', 'b'], run: CONSUMER },
      default: { type: 'bundle', contents: ['a', 'b', 'sink'] },
    });
    const lines = await waitForLines(init.path('consumed'), 2);
    assert.deepEqual([...lines].sort(), ['from a', 'from b']);
  });
});
