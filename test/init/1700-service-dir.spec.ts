// Service directory features: env/ merged over init's environment, cwd = its s6 directory (the source files
// linked there), template instances get their parameter as $1, run executed directly.
import assert from 'node:assert/strict';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { waitForLines } from '../harness/wait.js';

describe('init: service directories', () => {
  cleanupAfterEach();

  it('merges env/ over the environment and runs in its s6 directory, where the source files are linked', async () => {
    const init = await InitProcess.start({
      envy: { type: 'longrun', env: { GREETING: 'hi there' }, run: 'echo "$GREETING|$PWD|${PATH:+path}|$(cat ./type)" > "$FORTROS_ROOT/env"\nexec sleep 1000' },
      default: { type: 'bundle', contents: ['envy'] },
    });
    const [line] = await waitForLines(init.path('env'));
    assert.equal(line, `hi there|${init.path('run/fortros/service/envy')}|path|longrun`);
  });

  it('instantiates templates with the parameter as $1', async () => {
    const init = await InitProcess.start({
      'getty@': { type: 'longrun', run: 'echo "$1" > "$FORTROS_ROOT/getty.$1"\nexec sleep 1000' },
      default: { type: 'bundle', contents: ['getty@tty1', 'getty@tty2'] },
    });
    await init.waitForState('getty@tty2', 'ready');
    assert.deepEqual(await waitForLines(init.path('getty.tty1')), ['tty1']);
    assert.deepEqual(await waitForLines(init.path('getty.tty2')), ['tty2']);
  });

  it('executes run directly in its own process group', async () => {
    const init = await InitProcess.start({
      pg: { type: 'longrun', run: 'echo "$$ $(ps -o pgid= -p $$ | tr -d " ") $PPID" > "$FORTROS_ROOT/pg"\nexec sleep 1000' },
      default: { type: 'bundle', contents: ['pg'] },
    });
    const ready = await init.waitForState('pg', 'ready');
    const [pid, pgid, ppid] = (await waitForLines(init.path('pg')))[0]!.split(' ').map(Number);
    assert.equal(pid, ready.pid);
    assert.equal(pgid, pid, 'its own process group');
    assert.equal(ppid, init.pid, 'spawned directly by init, no shell in between');
  });
});
