// keys.sock is open to every local user (0666): one unprivileged user holding more connections than the socket takes
// in all gets only its own share, while a service started meanwhile still derives its key.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { clientResult, fortctl, keyClient, keyService, KEYS_SOCKET } from '../harness/keys.js';
import { waitUntil } from '../harness/wait.js';

const FLOOD = fileURLToPath(new URL('./fixtures/flood.mjs', import.meta.url));
const NOBODY = 65534;
/** More than keys.sock takes in all (MAX_KEYS_CONNECTIONS 1000, libs/rpc's backstop 1024). */
const FLOOD_CONNECTIONS = 1300;
/** apps/key-service MAX_CONNECTIONS_PER_UID. */
const PER_UID = 64;

describe('keys: connection limits', () => {
  cleanupAfterEach();

  it("refuses one unprivileged uid's connections beyond its share; a service still derives its key", async function () {
    if (process.getuid?.() !== 0) this.skip(); // the flooder is made `nobody` with setpriv, which needs root
    const init = await InitProcess.start({
      'key-service': keyService(),
      late: keyClient('late', ['tls']),
      default: { type: 'bundle', contents: ['key-service'] },
    });
    await chmod(init.root, 0o755); // nobody must reach keys.sock, as on a real node
    const keysPid = Number((await init.waitForState('key-service', 'ready')).pid);
    const fds = async (): Promise<number> => (await readdir(`/proc/${keysPid}/fd`)).length;
    const fdsBefore = await fds();
    const flood = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, FLOOD, init.path(KEYS_SOCKET), String(FLOOD_CONNECTIONS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
      cwd: '/',
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        flood.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d));
        flood.once('exit', (code) => reject(new Error(`flooder exited ${code}`)));
      });
      // while nobody holds what it could get, a service starts and derives its key
      assert.equal((await fortctl(['--root', init.root, 'start', 'late'])).code, 0);
      const late = await clientResult(init.root, 'late', 'tls');
      assert.equal(late.code, 0, late.stderr);
      assert.equal((JSON.parse(late.stdout) as { service: string }).service, 'late');
      const held = JSON.parse(line) as { open: number; closed: number };
      assert.deepEqual(held, { open: PER_UID, closed: FLOOD_CONNECTIONS - PER_UID }, 'nobody holds its share, no more');
    } finally {
      flood.stdin.end();
      if (flood.exitCode === null) flood.kill('SIGKILL');
    }
    // every connection's socket and pidfd are closed with it: fortros-keys is back to (about) the fds it had
    // (late's own connection may still be open until its idle timeout: a few fds of slack)
    await waitUntil(async () => (await fds()) <= fdsBefore + 4, { what: `fortros-keys to close the flood's fds (had ${fdsBefore})`, timeoutMs: 30_000 });
  });
});
