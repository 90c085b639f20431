// Key derivation end to end: services booted by the real fortros-init get their own key through `fortctl key
// derive`, equal to DESIGN §7 computed here from master.key; anything not under init is refused; keys survive a
// restart of the key service.
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { clientResult, expectedKey, fortctl, FORTCTL_MAIN, keysTree, KEYS_SOCKET, MASTER_KEY, type DerivedJson } from '../harness/keys.js';
import { waitForLines } from '../harness/wait.js';

/**
 * The restarted key service's timeout-kill (ms): far above init's 5 s default, so a slow clean exit on a loaded box
 * is still the exit 0 after SIGTERM the test checks, never init's SIGKILL.
 */
const KEY_SERVICE_KILL_TIMEOUT_MS = 30_000;

describe('keys: derive', () => {
  cleanupAfterEach();

  it('gives each service under init its own §7 key through fortctl key derive', async () => {
    const init = await InitProcess.start(keysTree({ alpha: ['tls'], beta: ['tls'] }));
    const alpha = await clientResult(init.root, 'alpha', 'tls');
    const beta = await clientResult(init.root, 'beta', 'tls');
    assert.equal(alpha.code, 0, alpha.stderr);
    assert.equal(beta.code, 0, beta.stderr);
    const a = JSON.parse(alpha.stdout) as DerivedJson;
    const b = JSON.parse(beta.stdout) as DerivedJson;

    const master = await readFile(init.path(MASTER_KEY));
    assert.equal(master.length, 32);
    assert.equal((await stat(init.path(MASTER_KEY))).mode & 0o777, 0o600, 'created 0600 on first boot');
    assert.deepEqual(Object.keys(a).sort(), ['key', 'keyId', 'length', 'purpose', 'service', 'version']);
    assert.deepEqual([a.service, a.purpose, a.version, a.length], ['alpha', 'tls', 1, 32]);
    assert.equal(a.key, expectedKey(master, 'alpha', 'tls').toString('hex'));
    assert.equal(b.service, 'beta');
    assert.equal(b.key, expectedKey(master, 'beta', 'tls').toString('hex'));
    assert.notEqual(a.key, b.key, 'two services never share a key');
    assert.match(a.keyId, /^[0-9a-f]{16}$/);
    assert.ok(!a.key.startsWith(a.keyId), 'the key id is not a prefix of the key');

    // no key material in any log: the key service's (files under var/log) nor init's
    const logs = (await readFile(init.path('var/log/fortros/key-service/current'), 'utf8')) + JSON.stringify(init.records) + init.output.join('\n');
    assert.match(logs, /master key created/);
    for (const secret of [master.toString('hex'), master.toString('base64'), a.key, b.key, Buffer.from(a.key, 'hex').toString('base64')]) {
      assert.ok(!logs.includes(secret), 'a secret in the logs');
    }
  });

  it('honours --length, --version and --format for the calling service', async () => {
    const init = await InitProcess.start({
      ...keysTree({}),
      gamma: {
        type: 'longrun',
        dependencies: ['key-service'],
        run: [
          `F="${process.execPath} ${FORTCTL_MAIN} --root $FORTROS_ROOT key derive --purpose db"`,
          '$F --length 48 --version 7 > "$FORTROS_ROOT/gamma.hex"',
          '$F --format base64 > "$FORTROS_ROOT/gamma.b64"',
          '$F --format raw > "$FORTROS_ROOT/gamma.raw"',
          'echo done > "$FORTROS_ROOT/gamma.done"',
          'exec sleep 100000',
        ].join('\n'),
      },
      default: { type: 'bundle', contents: ['key-service', 'gamma'] },
    });
    await waitForLines(init.path('gamma.done'));
    const master = await readFile(init.path(MASTER_KEY));
    assert.equal((await readFile(init.path('gamma.hex'), 'utf8')).trim(), expectedKey(master, 'gamma', 'db', 7, 48).toString('hex'));
    assert.equal((await readFile(init.path('gamma.b64'), 'utf8')).trim(), expectedKey(master, 'gamma', 'db').toString('base64'));
    assert.deepEqual(await readFile(init.path('gamma.raw')), expectedKey(master, 'gamma', 'db'));
  });

  it('refuses a process that no init service started: exit 1, UNAUTHENTICATED', async () => {
    const init = await InitProcess.start(keysTree({ alpha: ['tls'] }));
    await clientResult(init.root, 'alpha', 'tls'); // the key service is up and serving
    const res = await fortctl(['--root', init.root, 'key', 'derive', '--purpose', 'tls']);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /UNAUTHENTICATED/);
    assert.match(res.stderr, /does not descend from a service supervised by init/);
    assert.equal(res.stdout, '', 'no key printed');
    assert.equal((await stat(init.path(KEYS_SOCKET))).mode & 0o777, 0o666, 'the socket is open to all: attribution decides');
  });

  it('refuses an orphan that left its service for init (reparented to the subreaper): UNAUTHENTICATED', async () => {
    const init = await InitProcess.start({
      ...keysTree({}),
      leaver: {
        type: 'longrun',
        dependencies: ['key-service'],
        run: '( sh ./orphan.sh "$PPID" & )\nexec sleep 100000',
        files: {
          // $1 is init's pid: wait until re-parented to it (the subshell that started us is gone), then ask
          'orphan.sh': [
            'while [ "$(cut -d" " -f4 /proc/$$/stat)" != "$1" ]; do sleep 0.01; done',
            'cut -d" " -f4 /proc/$$/stat > "$FORTROS_ROOT/orphan.ppid"',
            `"${process.execPath}" "${FORTCTL_MAIN}" --root "$FORTROS_ROOT" key derive --purpose tls > "$FORTROS_ROOT/orphan.out" 2> "$FORTROS_ROOT/orphan.err"`,
            'echo $? > "$FORTROS_ROOT/orphan.rc"',
          ].join('\n'),
        },
      },
      default: { type: 'bundle', contents: ['key-service', 'leaver'] },
    });
    const [ppid] = await waitForLines(init.path('orphan.ppid'));
    assert.equal(Number(ppid), init.pid, 'the orphan now belongs to init, not to the service');
    const [rc] = await waitForLines(init.path('orphan.rc'));
    assert.equal(rc, '1');
    assert.match(await readFile(init.path('orphan.err'), 'utf8'), /UNAUTHENTICATED/);
    assert.equal(await readFile(init.path('orphan.out'), 'utf8'), '');
  });

  it('gives every service the same keys after the key service restarts', async () => {
    const tree = keysTree({ alpha: ['tls', 'db'], beta: ['tls'] });
    const init = await InitProcess.start({ ...tree, 'key-service': { ...tree['key-service']!, timeoutKill: KEY_SERVICE_KILL_TIMEOUT_MS } });
    const before = await Promise.all([clientResult(init.root, 'alpha', 'tls'), clientResult(init.root, 'alpha', 'db'), clientResult(init.root, 'beta', 'tls')]);
    for (const r of before) assert.equal(r.code, 0, r.stderr);
    const firstPid = (await init.waitForState('key-service', 'ready')).pid;

    const restart = await fortctl(['--root', init.root, 'restart', 'key-service', '--wait']);
    assert.equal(restart.code, 0, restart.stderr);
    // each client derives again in a fresh run: stopped (whatever the restart did to dependents), outputs removed, started
    for (const name of ['alpha', 'beta']) assert.equal((await fortctl(['--root', init.root, 'stop', name, '--wait'])).code, 0);
    await rm(init.path('clients'), { recursive: true });
    for (const name of ['alpha', 'beta']) assert.equal((await fortctl(['--root', init.root, 'start', name, '--wait'])).code, 0);
    const after = await Promise.all([clientResult(init.root, 'alpha', 'tls'), clientResult(init.root, 'alpha', 'db'), clientResult(init.root, 'beta', 'tls')]);
    const secondPid = init.transitions('key-service').filter((r) => r.to === 'ready').at(-1)!.pid;
    assert.notEqual(secondPid, firstPid, 'a new key service process');
    const status = await fortctl(['--root', init.root, 'status', 'key-service', '--json']);
    assert.deepEqual((JSON.parse(status.stdout) as { lastExit: unknown }).lastExit, { code: 0, signal: null }, 'SIGTERM: a clean exit 0');
    for (const [i, r] of after.entries()) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as DerivedJson).key, (JSON.parse(before[i]!.stdout) as DerivedJson).key);
    }
    const master = await readFile(init.path(MASTER_KEY));
    assert.equal((JSON.parse(after[1]!.stdout) as DerivedJson).key, expectedKey(master, 'alpha', 'db').toString('hex'));
  });
});
