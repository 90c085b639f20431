// One contract, two spawners (node:child_process and posix_spawn), against real processes: own session and group,
// pipes, the notification fd, given fds, env, cwd, default signal dispositions, and each exit delivered once.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SpawnError } from '../src/errors.js';
import { createPosixSpawner } from '../src/process/posix-spawner.js';
import { createNodeSpawner, type SpawnedProcess, type Spawner } from '../src/process/spawner.js';

interface Subject {
  spawner: Spawner;
  close(): void;
}

const SUBJECTS: Record<string, () => Subject> = {
  'node:child_process': () => ({ spawner: createNodeSpawner(), close: () => undefined }),
  posix_spawn: () => {
    const spawner = createPosixSpawner();
    const onChild = (): void => spawner.collect(); // as boot does on SIGCHLD
    process.on('SIGCHLD', onChild);
    return { spawner, close: () => void process.off('SIGCHLD', onChild) };
  },
};

const readAll = (r: Readable): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = '';
    r.on('data', (c: Buffer) => (out += c.toString()));
    r.once('end', () => resolve(out));
    r.once('error', reject);
  });

/** The exit, and how many times it was delivered (once more would show within the next turns). */
async function exitOf(child: SpawnedProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; deliveries: () => number }> {
  let n = 0;
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.onExit((code, signal) => {
      n++;
      resolve({ code, signal });
    }),
  );
  return { ...exit, deliveries: () => n };
}

for (const [name, make] of Object.entries(SUBJECTS)) {
  describe(`spawner contract: ${name}`, () => {
    let subject: Subject;
    let dir: string;
    beforeEach(() => {
      subject = make();
      dir = mkdtempSync(join(tmpdir(), 'pf-spawn-'));
    });
    afterEach(() => {
      subject.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs the program in its own session and process group, with env, cwd, stdout and stderr', async () => {
      const child = subject.spawner.spawn({
        file: '/bin/sh',
        args: ['-c', 'read -r _ _ _ _ pgid sid _ < /proc/$$/stat; echo "$$ $pgid $sid $FOO $(pwd)"; echo oops >&2; exit 7'],
        cwd: dir,
        env: { FOO: 'bar', PATH: process.env.PATH },
      });
      const [out, err, exit] = await Promise.all([readAll(child.stdout!), readAll(child.stderr), exitOf(child)]);
      assert.equal(out.trim(), `${child.pid} ${child.pid} ${child.pid} bar ${dir}`);
      assert.equal(err.trim(), 'oops');
      assert.deepEqual([exit.code, exit.signal], [7, null]);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(exit.deliveries(), 1, 'the exit is delivered exactly once');
      assert.equal(child.hasExited(), true);
    });

    it('gives the notification fd', async () => {
      const child = subject.spawner.spawn({ file: '/bin/sh', args: ['-c', 'echo >&5'], cwd: dir, env: {}, notificationFd: 5 });
      const [note] = await Promise.all([readAll(child.notification!), exitOf(child)]);
      assert.equal(note, '\n');
    });

    it('starts the program with no signal blocked and no standard signal ignored (Node ignores SIGPIPE)', async () => {
      const child = subject.spawner.spawn({ file: '/bin/grep', args: ['-E', '^Sig(Blk|Ign)', '/proc/self/status'], cwd: dir, env: {} });
      const [out] = await Promise.all([readAll(child.stdout!), exitOf(child)]);
      assert.match(out, /SigBlk:\s+0+\n/);
      // signals 1–31 at their default; glibc's posix_spawn leaves its own two real-time signals (32, 33) ignored
      assert.match(out, /SigIgn:\s+[0-9a-f]{8}[08]0{7}\n/); // bit 31 is signal 32
    });

    it('connects given fds as stdin and stdout', async () => {
      const input = join(dir, 'in');
      const output = join(dir, 'out');
      const inFd = openSync(input, 'w+');
      closeSync(inFd);
      const stdinFd = openSync('/etc/hostname', 'r');
      const stdoutFd = openSync(output, 'w');
      try {
        const child = subject.spawner.spawn({ file: '/bin/cat', args: [], cwd: dir, env: {}, stdinFd, stdoutFd });
        assert.equal(child.stdout, undefined);
        await exitOf(child);
      } finally {
        closeSync(stdinFd);
        closeSync(stdoutFd);
      }
      assert.equal(readFileSync(output, 'utf8'), readFileSync('/etc/hostname', 'utf8'));
    });

    it('reports a kill by its signal, and a program that cannot be executed as a SpawnError', async () => {
      const child = subject.spawner.spawn({ file: '/bin/sleep', args: ['1000'], cwd: dir, env: {} });
      assert.equal(child.hasExited(), false);
      const exit = exitOf(child);
      subject.spawner.killGroup(child.pid, 'SIGKILL');
      assert.deepEqual(await exit.then((e) => [e.code, e.signal]), [null, 'SIGKILL']);
      assert.throws(() => subject.spawner.spawn({ file: join(dir, 'missing'), args: [], cwd: dir, env: {} }), SpawnError);
    });
  });
}
