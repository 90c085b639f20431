// The pid-reuse attack on keys.sock, for real: an unprivileged user (nobody) connects from a process that exits at
// once, cycles pids until a child of service `bee` (supervised by the real fortros-init) holds the connecting pid,
// then calls DeriveKey on the old connection. The key service must refuse it: the connection's pidfd shows the
// process that connected is gone, whoever holds its pid number now.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { keyService, KEYS_SOCKET, MASTER_KEY, expectedKey } from '../harness/keys.js';
import { childrenOf } from '../harness/proc.js';
import { waitForLines } from '../harness/wait.js';

const HANDOFF = fileURLToPath(new URL('./fixtures/handoff.pl', import.meta.url));
const ATTACKER = fileURLToPath(new URL('./fixtures/pid-reuse-attacker.mjs', import.meta.url));
/** The unprivileged user the attacker runs as. */
const NOBODY = 65534;
/** Connections made from exited processes per attempt. */
const CONNECTIONS = 8;
/** Tries at landing a child of bee on a connecting pid (other processes on the machine take pids meanwhile). */
const ATTEMPTS = 3;
/** Children bee spawns per trigger: the attacker stops 40 pids short of its target, the rest covers its 8 pids. */
const BURST = 200;
/** Whole attack (pid cycling included) bound, in ms; generous for a loaded machine. */
const ATTACK_TIMEOUT_MS = 240_000;
const GRPC_UNAUTHENTICATED = 16;

interface AttackResult {
  connectingPids: number[];
  target: number;
  lastCycled: number;
  results: Array<{ pid: number; ppid: number; status: number | string; message?: string; key?: string; service?: string }>;
}

/** The attack as nobody: handoff.pl makes the connections, then execs the attacker with them. */
function attack(root: string, beePid: number): Promise<AttackResult> {
  return new Promise((resolve, reject) => {
    const args = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'perl', HANDOFF, `${root}/${KEYS_SOCKET}`, String(CONNECTIONS),
      process.execPath, ATTACKER, `${root}/trigger`, String(beePid), 'tls'];
    const child = spawn('setpriv', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ATTACK_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`attacker exited ${code}: ${err}`));
      resolve(JSON.parse(out) as AttackResult);
    });
  });
}

describe('keys: pid reuse after connect', () => {
  cleanupAfterEach();

  it('refuses DeriveKey on a connection whose process exited, though a child of service bee now holds its pid', async function () {
    if (process.getuid?.() !== 0) this.skip(); // the attacker is made `nobody` with setpriv, which needs root
    this.timeout(ATTEMPTS * ATTACK_TIMEOUT_MS + 60_000);
    const init = await InitProcess.start({
      'key-service': keyService(),
      bee: {
        type: 'longrun',
        dependencies: ['key-service'],
        // a FIFO anyone may write; each line spawns a burst of children (that the attribution walk leads back to bee)
        run: [
          'mkfifo -m 0666 "$FORTROS_ROOT/trigger" && chmod 0666 "$FORTROS_ROOT/trigger"',
          'echo up > "$FORTROS_ROOT/bee.up"',
          `while :; do read line < "$FORTROS_ROOT/trigger"; i=0; while [ $i -lt ${BURST} ]; do sleep 600 & i=$((i+1)); done; done`,
        ].join('\n'),
      },
      default: { type: 'bundle', contents: ['key-service', 'bee'] },
    });
    await chmod(init.root, 0o755); // nobody must reach keys.sock and the FIFO, as on a real node
    await waitForLines(init.path('bee.up'));
    await init.waitForState('key-service', 'ready');
    const beePid = Number((await init.waitForState('bee', 'ready')).pid);
    let hit: AttackResult | undefined;
    try {
      for (let i = 0; i < ATTEMPTS && !hit; i++) {
        const result = await attack(init.root, beePid);
        if (result.results.length > 0) hit = result;
      }
    } finally {
      for (const child of childrenOf(beePid)) if (child.state !== 'Z') process.kill(child.pid, 'SIGKILL');
    }
    assert.ok(hit, `no child of bee landed on a connecting pid in ${ATTEMPTS} attempts`);
    const master = await readFile(init.path(MASTER_KEY));
    const beeKey = expectedKey(master, 'bee', 'tls').toString('hex');
    for (const r of hit.results) {
      // the reuse really happened: the connecting pid is now held by a child of bee
      assert.ok(hit.connectingPids.includes(r.pid));
      assert.equal(r.ppid, beePid, `pid ${r.pid} belongs to a child of bee`);
      assert.notEqual(r.key, beeKey, "the attacker got bee's key");
      assert.equal(r.key, undefined, 'no key at all');
      assert.equal(r.status, GRPC_UNAUTHENTICATED, JSON.stringify(r));
      assert.match(r.message ?? '', new RegExp(`process ${r.pid} exited after connecting`));
    }
    const log = await readFile(init.path('var/log/fortros/key-service/current'), 'utf8');
    assert.match(log, /caller refused.*exited after connecting/, 'the refusal is logged');
    assert.ok(!log.includes(beeKey), 'no key bytes in the log');
  });
});
