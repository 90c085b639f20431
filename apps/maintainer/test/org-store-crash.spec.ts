// Org store crash safety: a real child writer SIGKILLed at random moments and mid-compaction loses no acked write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { OrgDocument } from '../src/org/org-doc.js';
import { OrgStore } from '../src/org/org-store.js';
import { recordingLogger, withTempDir } from './org-helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, 'fixtures', 'org-store-writer.ts');
const APP_DIR = join(here, '..');
const KILL_PLAN: (() => KillAt)[] = [
  () => ({ after: 'acks', count: 1 + Math.floor(Math.random() * 300) }),
  () => ({ after: 'compactions', count: 1 + Math.floor(Math.random() * 3) }),
  () => ({ after: 'snapshot-installed', count: 1 + Math.floor(Math.random() * 3) }),
  () => ({ after: 'log-replaced', count: 1 + Math.floor(Math.random() * 3) }),
];
const RUNS = 2 * KILL_PLAN.length;
const COMPACT_LOG_BYTES = 1500;
const CHILD_DEADLINE_MS = 20_000;

interface RunResult {
  acked: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** When the writer dies: after `count` acks or compaction starts (killed by us), or at a compaction step (by itself). */
type KillAt = { after: 'acks' | 'compactions'; count: number } | { after: 'snapshot-installed' | 'log-replaced'; count: number };

/** Runs the writer until `killAt`, SIGKILLs it (by pid), and returns every id it acknowledged. */
function runWriter(dir: string, tag: string, killAt: KillAt): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const args = [FIXTURE, dir, String(COMPACT_LOG_BYTES), tag];
    if (killAt.after !== 'acks' && killAt.after !== 'compactions') args.push(killAt.after, String(killAt.count));
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: APP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let compactions = 0;
    let stderr = '';
    let rest = '';
    let killed = false;
    const kill = (): void => {
      if (!killed && child.pid !== undefined) {
        killed = true;
        process.kill(child.pid, 'SIGKILL');
      }
    };
    const deadline = setTimeout(() => {
      kill();
      reject(new Error(`writer did not reach ${JSON.stringify(killAt)} in ${CHILD_DEADLINE_MS} ms; stderr: ${stderr}`));
    }, CHILD_DEADLINE_MS);
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const lines = (rest + s).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.push(line.slice(4));
        else if (line === 'compact') compactions++;
      }
      if ((killAt.after === 'acks' && acked.length >= killAt.count) || (killAt.after === 'compactions' && compactions >= killAt.count)) {
        kill();
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(deadline);
      resolve({ acked, signal, stderr });
    });
  });
}

async function reopen(dir: string): Promise<{ ids: Set<string>; truncated: number }> {
  const doc = new Y.Doc();
  const store = new OrgStore({ dir, doc, log: recordingLogger() });
  const org = new OrgDocument({ doc, log: recordingLogger(), durability: store });
  await store.open();
  const ids = new Set(org.listWorkloads().map((w) => w.id));
  const truncated = store.stats().truncatedBytes;
  await store.close();
  return { ids, truncated };
}

describe('org: store crash safety (child process, SIGKILL)', function () {
  this.timeout(RUNS * CHILD_DEADLINE_MS);

  it('loses no acknowledged write when killed at random moments, including mid-compaction', () =>
    withTempDir(async (dir) => {
      const everAcked: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        const killAt = KILL_PLAN[run % KILL_PLAN.length]!();
        const result = await runWriter(dir, `r${run}`, killAt);
        assert.equal(result.signal, 'SIGKILL', `run ${run}: the writer should die by SIGKILL; stderr: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /^error /m, `run ${run}: ${result.stderr}`);
        everAcked.push(...result.acked);
        const { ids } = await reopen(dir);
        const missing = everAcked.filter((id) => !ids.has(id));
        assert.deepEqual(missing, [], `run ${run} (${JSON.stringify(killAt)}): acknowledged writes lost`);
      }
      assert.ok(everAcked.length > RUNS, `expected many acknowledged writes, got ${everAcked.length}`);
    }));
});
