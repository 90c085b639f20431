// s6-rc trees as found in the wild run as s6-rc runs them: run/finish without the execute bit (s6-rc-compile
// makes them 0755), oneshot up/down read by execline's lexer (Void-style blocks and our own `sh -c "…"`),
// pipelines whose consumer is ready first and stops last; and fortctl never repeats a reason.
import assert from 'node:assert/strict';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess, type LogRecord } from '../harness/init.js';
import { readLines, waitForLines } from '../harness/wait.js';

/** Index of the first record of `service` entering `state` (-1 if none). */
function entered(init: InitProcess, service: string, state: string, from = 0): number {
  return init.records.findIndex((r: LogRecord, i) => i >= from && r.msg === 'service state' && r.service === service && r.to === state);
}

/** A Void-style `up` (base/00): execline blocks, read with `execlineb -P`; never a valid shell script. */
const VOID_UP = `# Void-style: execline blocks
importas -i root FORTROS_ROOT
foreground { mkdir -p \${root}/void }
foreground { touch \${root}/void/one }
if { test -f \${root}/void/one }
touch \${root}/void/two
`;
const VOID_DOWN = `importas -i root FORTROS_ROOT
foreground { rm -f \${root}/void/two }
touch \${root}/void/down
`;

describe('init: s6-rc trees as s6-rc runs them', () => {
  cleanupAfterEach();

  it('runs a run and a finish of mode 0644 through their #! line', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      plain: {
        type: 'longrun',
        files: {
          run: '#!/bin/sh\necho "$0" > "$FORTROS_ROOT/run.argv0"\nexit 3\n',
          finish: '#! /bin/sh -e\necho "$1 $2" > "$FORTROS_ROOT/finish.args"\nexit 125\n',
        },
      },
      default: { type: 'bundle', contents: ['plain'] },
    });
    await init.waitForState('plain', 'failed', { reason: /finish exited with code 125/ });
    assert.deepEqual(await readLines(init.path('run.argv0')), [init.path('etc/fortros/services/plain/run')]);
    assert.deepEqual(await readLines(init.path('finish.args')), ['3 0'], 'finish ran with the exit code of run');
  });

  it('reads oneshot up/down with execline: Void-style blocks and our own sh -c "…" both run', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      voidish: { type: 'oneshot', files: { up: VOID_UP, down: VOID_DOWN } },
      ours: { type: 'oneshot', up: 'echo "ours $((20 + 22))" > "$FORTROS_ROOT/ours"', down: 'echo down > "$FORTROS_ROOT/ours.down"' },
      default: { type: 'bundle', contents: ['voidish', 'ours'] },
    });
    await init.waitForState('voidish', 'ready');
    await init.waitForState('ours', 'ready');
    assert.deepEqual(await readLines(init.path('void/two')), []);
    assert.deepEqual(await readLines(init.path('ours')), ['ours 42']);
    const r = await fortctl(init.root, ['stop', 'default']);
    assert.equal(r.code, 0, r.stderr);
    await init.waitForState('voidish', 'inactive');
    await waitForLines(init.path('ours.down'));
    assert.deepEqual(await readLines(init.path('void/down')), []);
  });

  it('starts a pipeline consumer first (ready before its producer spawns) and stops it last', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      app: { type: 'longrun', producerFor: 'app-log', run: 'echo hello\nexec sleep 1000' },
      'app-log': {
        type: 'longrun',
        consumerFor: ['app'],
        pipelineName: 'app-pipeline',
        notificationFd: 3,
        // ready only after a while, so a producer started early would be seen starting before this is ready
        run: 'sleep 0.5\necho >&3\nexec cat > "$FORTROS_ROOT/piped"',
      },
      default: { type: 'bundle', contents: ['app-pipeline'] },
    });
    await init.waitForState('app', 'ready');
    await waitForLines(init.path('piped'));
    assert.ok(entered(init, 'app-log', 'ready') < entered(init, 'app', 'starting'), 'the consumer is ready before the producer starts');
    const from = init.records.length;
    const r = await fortctl(init.root, ['stop', 'app-pipeline']);
    assert.equal(r.code, 0, r.stderr);
    await init.waitForState('app-log', 'inactive', { afterIndex: from });
    assert.ok(entered(init, 'app', 'inactive', from) < entered(init, 'app-log', 'stopping', from), 'the producer is down before the consumer stops');
  });

  it('says what a blocked service waits on once, not twice', async function () {
    this.timeout(60_000);
    const init = await InitProcess.start({
      a: { type: 'longrun', notificationFd: 3, run: 'exec sleep 1000' },
      b: { type: 'longrun', dependencies: ['a'], run: 'exec sleep 1000' },
      default: { type: 'bundle', contents: ['b'] },
    });
    await init.waitForState('b', 'blocked');
    const r = await fortctl(init.root, ['services']);
    assert.equal(r.code, 0, r.stderr);
    const row = r.stdout.split('\n').find((l) => l.startsWith('b '));
    assert.match(row ?? '', /\bwaiting on a$/, r.stdout);
    assert.equal(row!.split('waiting on').length - 1, 1, `one "waiting on" in: ${row}`);
  });
});
