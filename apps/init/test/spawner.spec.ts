// The node spawner against real processes: hasExited() counts a child that died before node delivered its exit.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { ProcFs } from '@fortros/procfs';
import { createNodeSpawner } from '../src/process/spawner.js';

const ZOMBIE_WAIT_MS = 10_000;

/** /proc/PID/stat's state letter, '' once the process is gone. */
const stateOf = (pid: number): string => {
  try {
    return new ProcFs().stat(pid).state;
  } catch {
    return '';
  }
};

describe('node spawner: hasExited()', () => {
  it('is true for a child that is a zombie whose exit node has not delivered yet', async () => {
    const spawner = createNodeSpawner();
    const child = spawner.spawn({ file: '/bin/sh', args: ['-c', 'exit 3'], cwd: tmpdir(), env: process.env });
    let delivered = false;
    const exit = new Promise<number | null>((resolve) => child.onExit((code) => ((delivered = true), resolve(code))));
    // Block the event loop (as a stalled init would) until the kernel shows the zombie: libuv cannot reap it
    // meanwhile, so its exit is certainly not delivered yet. Polled with a deadline, not slept.
    const deadline = Date.now() + ZOMBIE_WAIT_MS;
    while (stateOf(child.pid) !== 'Z') assert.ok(Date.now() < deadline, `child ${child.pid} became a zombie within ${ZOMBIE_WAIT_MS} ms`);
    assert.equal(delivered, false, 'the exit is not delivered while the loop is blocked');
    assert.equal(child.hasExited(), true);
    assert.equal(await exit, 3);
    assert.equal(child.hasExited(), true);
  });

  it('is false for a child that is alive, and true once it is killed', async () => {
    const spawner = createNodeSpawner();
    const child = spawner.spawn({ file: '/bin/sleep', args: ['1000'], cwd: tmpdir(), env: process.env });
    const exit = new Promise<void>((resolve) => child.onExit(() => resolve()));
    assert.notEqual(stateOf(child.pid), '', 'the child runs');
    assert.equal(child.hasExited(), false);
    spawner.kill(child.pid, 'SIGKILL');
    await exit;
    assert.equal(child.hasExited(), true);
  });
});
