// The policy file: a service may derive only the purposes its entry lists (PERMISSION_DENIED otherwise); services
// without an entry follow the default rule.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import { clientResult, expectedKey, keysTree, MASTER_KEY, type DerivedJson } from '../harness/keys.js';

describe('keys: policy', () => {
  cleanupAfterEach();

  it('refuses a purpose outside the policy with PERMISSION_DENIED (exit 1), and allows the listed ones', async () => {
    // init writes the tree and starts at once; the policy file is read by the key service at its start, so it
    // lives in the service directory itself, written with the tree
    const policy = JSON.stringify({ default: 'allow-own', services: { alpha: { purposes: ['db'] } } });
    const tree = keysTree({ alpha: ['tls', 'db'], beta: ['tls'] }, '--policy "$(pwd)/policy.json"');
    tree['key-service']!.files = { 'policy.json': policy };
    const init = await InitProcess.start(tree);

    const denied = await clientResult(init.root, 'alpha', 'tls');
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(denied.stderr, /PERMISSION_DENIED/);
    assert.match(denied.stderr, /service alpha may not derive purpose "tls"/);
    assert.equal(denied.stdout, '');

    const master = await readFile(init.path(MASTER_KEY));
    const allowed = await clientResult(init.root, 'alpha', 'db');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal((JSON.parse(allowed.stdout) as DerivedJson).key, expectedKey(master, 'alpha', 'db').toString('hex'));
    const other = await clientResult(init.root, 'beta', 'tls');
    assert.equal(other.code, 0, other.stderr);
    assert.equal((JSON.parse(other.stdout) as DerivedJson).key, expectedKey(master, 'beta', 'tls').toString('hex'));
  });

  it('with default "deny", a service without an entry gets nothing', async () => {
    const tree = keysTree({ alpha: ['tls'] }, '--policy "$(pwd)/policy.json"');
    tree['key-service']!.files = { 'policy.json': JSON.stringify({ default: 'deny' }) };
    const init = await InitProcess.start(tree);
    const denied = await clientResult(init.root, 'alpha', 'tls');
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /PERMISSION_DENIED/);
  });
});
