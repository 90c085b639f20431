// fortctl for people against a real fortros-init (issue 11 item 4): several names per command, the state a change led to, services --watch,
// logs of every service merged and -n 0 -f, a hopeless wait failing at once, "did you mean", --version, completion,
// and the first call from the repository after `npm start` working without --root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupFortctlAfterEach, fortctl, FORTCTL_MAIN, jsonLines, startFortctl, type FortctlResult } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import type { TreeSpec } from '../harness/tree.js';
import { waitUntil } from '../harness/wait.js';

/** A test here runs ~10 fortctl commands, each a cold node start. */
const TEST_TIMEOUT_MS = 180_000;

/** talker prints a line a second (logs to follow); quiet prints one line at start; idle is never started. */
const TREE: TreeSpec = {
  talker: { type: 'longrun', run: 'echo "talker up"\nwhile :; do echo "talker tick $(date +%s%N)"; sleep 0.2; done' },
  quiet: { type: 'longrun', run: 'echo "quiet up"\nexec sleep 1000' },
  idle: { type: 'longrun', run: 'exec sleep 1000' },
  default: { type: 'bundle', contents: ['talker', 'quiet'] },
};

const ok = (r: FortctlResult, what: string): FortctlResult => {
  assert.equal(r.code, 0, `${what}: exit 0 expected\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};

async function bootReady(): Promise<InitProcess> {
  const init = await InitProcess.start(TREE);
  ok(await fortctl(init.root, ['wait', 'default', '--timeout', '20000']), 'wait default');
  return init;
}

describe('fortctl for people, against a real fortros-init', function () {
  this.timeout(TEST_TIMEOUT_MS);
  cleanupAfterEach();
  cleanupFortctlAfterEach();

  it('status, stop and start take several names; --json gives one array; a mistyped name gets a suggestion', async () => {
    const init = await bootReady();
    const both = ok(await fortctl(init.root, ['status', 'talker', 'quiet', '--json']), 'status talker quiet');
    assert.deepEqual((JSON.parse(both.stdout) as { name: string }[]).map((s) => s.name), ['talker', 'quiet']);
    const stopped = ok(await fortctl(init.root, ['stop', 'talker', 'quiet', '--wait']), 'stop talker quiet --wait');
    assert.deepEqual(stopped.stdout.trimEnd().split('\n'), ['talker: inactive', 'quiet: inactive']);
    const started = ok(await fortctl(init.root, ['start', 'talker', 'quiet', '--wait', '--json']), 'start --json');
    assert.deepEqual((JSON.parse(started.stdout) as { state: string }[]).map((s) => s.state), ['ready', 'ready']);
    // Without --wait: the state the request led to (init answers before its supervisor acts), never the one before.
    assert.match(ok(await fortctl(init.root, ['stop', 'quiet']), 'stop quiet').stdout, /^quiet: (stopping|inactive)\b/);
    assert.match(ok(await fortctl(init.root, ['start', 'quiet']), 'start quiet').stdout, /^quiet: (blocked|starting|ready)\b/);
    ok(await fortctl(init.root, ['wait', 'quiet']), 'wait quiet');
    const typo = await fortctl(init.root, ['status', 'quiet', 'taker']);
    assert.equal(typo.code, 1, typo.stderr);
    assert.match(typo.stdout, /^name:\s+quiet$/m, 'the good name is still shown');
    assert.match(typo.stderr, /status taker: .*NOT_FOUND.*did you mean "talker"\?/);
  });

  it('wait fails at once for an inactive service nothing is starting, naming why', async () => {
    const init = await bootReady();
    const r = await fortctl(init.root, ['wait', 'idle', '--timeout', '0']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /wait idle: will not become ready: idle is inactive and nothing is starting it \(fortctl start idle\)/);
  });

  it('services --watch prints the table again after a state change; SIGINT exits 0', async () => {
    const init = await bootReady();
    const watch = startFortctl(init.root, ['services', '--watch', '--json']);
    await watch.waitForLine((l) => l.startsWith('['), { what: 'the first table' });
    ok(await fortctl(init.root, ['start', 'idle', '--wait']), 'start idle');
    await watch.waitForLine((l) => l.startsWith('[') && (JSON.parse(l) as { name: string; state: string }[]).some((s) => s.name === 'idle' && s.state === 'ready'), {
      what: 'a table with idle ready',
    });
    assert.equal((await watch.interrupt('SIGINT')).code, 0);
  });

  it('logs without a name merges every service by time; -n 0 -f prints only new lines', async () => {
    const init = await bootReady();
    await waitUntil(async () => ((await readFile(join(init.root, 'var/log/fortros/talker/current'), 'utf8').catch(() => '')).split('\n').length > 4 ? true : undefined), {
      what: 'talker to log a few lines',
    });
    const merged = jsonLines<{ service: string; at: string; line: string }>(ok(await fortctl(init.root, ['logs', '-n', '1000', '--json']), 'logs').stdout.split('\n'));
    assert.ok(merged.some((l) => l.service === 'quiet' && l.line === 'quiet up'));
    assert.ok(merged.some((l) => l.service === 'talker' && l.line === 'talker up'));
    const times = merged.map((l) => Date.parse(l.at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
    const text = ok(await fortctl(init.root, ['logs', '-n', '2']), 'logs -n 2').stdout.trimEnd().split('\n');
    assert.equal(text.length, 2);
    assert.match(text[0]!, /^\S+ (talker|quiet): /);
    const follow = startFortctl(init.root, ['logs', '-n', '0', '-f', '--json']);
    const first = await follow.waitForLine((l) => l.includes('talker tick'), { what: 'a new talker line' });
    assert.ok(!follow.lines.some((l) => l.includes('talker up') || l.includes('quiet up')), 'no old lines');
    assert.ok(Date.parse((JSON.parse(first) as { at: string }).at) > 0);
    assert.equal((await follow.interrupt('SIGINT')).code, 0);
  });

  it('from the repository after npm start (./.fortros/node), the first call needs no --root; --version and completion', async () => {
    const init = await bootReady();
    const repo = await mkdtemp(join(tmpdir(), 'ct-repo-'));
    try {
      await mkdir(join(repo, '.fortros'));
      await symlink(init.root, join(repo, '.fortros/node'));
      const run = (args: string[]): Promise<FortctlResult> =>
        new Promise((resolve) =>
          execFile(process.execPath, [FORTCTL_MAIN, ...args], { cwd: repo, env: { ...process.env, FORTROS_ROOT: undefined } }, (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, signal: null, stdout, stderr }),
          ),
        );
      const services = ok(await run(['services']), 'services without --root');
      assert.match(services.stdout, /^talker\s+longrun\s+ready/m);
      assert.match(ok(await run(['--version']), '--version').stdout, /^fortctl \d+\.\d+\.\d+\n$/);
      assert.deepEqual(ok(await run(['completion', 'services']), 'completion services').stdout.split('\n').filter(Boolean), ['default', 'idle', 'quiet', 'talker']);
      const script = ok(await run(['completion', 'bash']), 'completion bash').stdout;
      assert.match(script, /complete -F _fortctl fortctl/);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
