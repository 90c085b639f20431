// Reaping keeps up with a fork storm: a service makes orphans as fast as a shell can for a few seconds; the
// zombies under init never pile up past a small bound, and a supervised service that exits meanwhile still has
// its exit status reported (the reaper never steals it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { procStat } from '../harness/proc.js';
import { readLines, waitUntil } from '../harness/wait.js';

const STORM_SECONDS = 5;
/**
 * Generous: the storm comes in bursts of 100 per loop, so about 200 at the peak on a loaded machine. The reaper
 * before the fix (a /proc scan per pass) let 1,500 pile up here on the same machine, 11,004 in issue 9.
 */
const MAX_ZOMBIES = 500;
const SAMPLE_EVERY_MS = 20;
const EXIT_CODE = 7;
/** Shell loops forking at once: at most 2000 orphans a second in all (the rate of the finding). */
const FORKERS = 2;

/** Children of `pid` from /proc/PID/task/TID/children (cheap: no scan of every process). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const p of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (p.trim() !== '') out.push(Number(p));
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

const zombiesUnder = (pid: number): number => childPids(pid).filter((c) => procStat(c)?.state === 'Z').length;

describe('init: reaping under a fork storm', () => {
  cleanupAfterEach();

  it(`keeps zombies under ${MAX_ZOMBIES} during a ${STORM_SECONDS} s storm of orphans and still reports a service's exit ${EXIT_CODE}`, async function () {
    this.timeout(120_000);
    const init = await InitProcess.start({
      storm: {
        type: 'longrun',
        // `( : & )`: a subshell forks a child and exits at once, so the child (or its zombie) is re-parented to
        // init; FORKERS loops at once, each at most 100 orphans per 0.1 s, counting them into a file of its own
        run: [
          `end=$(( $(date +%s) + ${STORM_SECONDS} ))`,
          `for k in $(seq ${FORKERS}); do (`,
          '  n=0',
          '  while [ "$(date +%s)" -lt "$end" ]; do',
          '    i=0; while [ $i -lt 100 ]; do ( : & ); i=$((i+1)); done; n=$((n+100)); sleep 0.1',
          '  done',
          '  echo "$n" > "$FORTROS_ROOT/storm.$k"',
          ') & done',
          'wait',
          'n=0; for f in "$FORTROS_ROOT"/storm.[0-9]*; do n=$((n + $(cat "$f"))); done; echo "$n" > "$FORTROS_ROOT/storm.count"',
          'exec sleep 1000',
        ].join('\n'),
      },
      exiter: {
        type: 'longrun',
        run: `sleep 2\nexit ${EXIT_CODE}`,
        finish: 'echo "$1 $2" >> "$FORTROS_ROOT/finish.args"\nexit 125',
      },
      default: { type: 'bundle', contents: ['storm', 'exiter'] },
    });
    await init.waitForState('storm', 'ready');
    let peak = 0;
    let samples = 0;
    await waitUntil(async () => {
      peak = Math.max(peak, zombiesUnder(init.pid));
      samples++;
      return (await readLines(init.path('storm.count'))).length > 0;
    }, { timeoutMs: 60_000, intervalMs: SAMPLE_EVERY_MS, what: 'the storm to end' });
    const orphans = Number((await readLines(init.path('storm.count')))[0]);
    assert.ok(orphans >= 1000, `the storm made only ${orphans} orphans: too few to tell`);
    assert.ok(peak <= MAX_ZOMBIES, `${peak} zombies under init at the peak (${orphans} orphans, ${samples} samples)`);
    await waitUntil(() => zombiesUnder(init.pid) === 0, { timeoutMs: 30_000, what: 'every zombie reaped after the storm' });

    await init.waitForState('exiter', 'failed', { reason: /finish exited with code 125/, timeoutMs: 60_000 });
    assert.deepEqual(await readLines(init.path('finish.args')), [`${EXIT_CODE} 0`], 'finish got the exit code of run');
    const r = await fortctl(init.root, ['status', 'exiter', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { lastExit: unknown }).lastExit, { code: EXIT_CODE, signal: null });
  });
});
