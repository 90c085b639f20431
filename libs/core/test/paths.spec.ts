// Node paths: every path of DESIGN §3 from one root.
import assert from 'node:assert/strict';
import { NODE_PATHS, checkHostPort, formatHostPort, nodePaths, resolveRoot, serviceLogDir } from '../src/index.js';

describe('node paths', () => {
  it('joins every path of DESIGN §3 to the root', () => {
    const p = nodePaths('/srv/a/');
    assert.equal(p.root, '/srv/a');
    assert.equal(p.initSocket, '/srv/a/run/fortros/init.sock');
    assert.equal(p.maintainerSocket, '/srv/a/run/fortros/maintainer.sock');
    assert.equal(p.keysSocket, '/srv/a/run/fortros/keys.sock');
    assert.equal(p.reconcilerSocket, '/srv/a/run/fortros/reconciler.sock');
    assert.equal(p.servicesDir, '/srv/a/etc/fortros/services');
    assert.equal(p.nodeConfig, '/srv/a/etc/fortros/node.json');
    assert.equal(p.masterKey, '/srv/a/persist/keys/master.key');
    assert.equal(p.wireguardKey, '/srv/a/persist/wireguard/private.key');
    assert.equal(serviceLogDir('/srv/a', 'web'), '/srv/a/var/log/fortros/web');
    assert.equal(nodePaths('/').initSocket, '/run/fortros/init.sock');
    for (const k of Object.keys(NODE_PATHS)) assert.ok(!(NODE_PATHS as Record<string, string>)[k]!.startsWith('/'), k);
  });

  it('takes the root from --root, then FORTROS_ROOT, then /', () => {
    assert.equal(resolveRoot('/x', { FORTROS_ROOT: '/y' }), '/x');
    assert.equal(resolveRoot(undefined, { FORTROS_ROOT: '/y' }), '/y');
    assert.equal(resolveRoot('', { FORTROS_ROOT: '' }), '/');
    assert.equal(resolveRoot('rel', {}), `${process.cwd()}/rel`);
  });
});

describe('HOST:PORT', () => {
  const cases: [string, boolean, { host: string; port: number } | undefined][] = [
    ['127.0.0.1:9101', false, { host: '127.0.0.1', port: 9101 }],
    ['[::1]:80', false, { host: '::1', port: 80 }],
    ['node-a.local:7946', false, { host: 'node-a.local', port: 7946 }],
    ['127.0.0.1:0', false, undefined],
    ['127.0.0.1:0', true, { host: '127.0.0.1', port: 0 }],
    ['127.0.0.1:65536', false, undefined],
    ['127.0.0.1', false, undefined],
    [':80', false, undefined],
    ['a b:80', false, undefined],
  ];
  for (const [text, zero, want] of cases) {
    it(`${text}${zero ? ' (port 0 allowed)' : ''} → ${want ? formatHostPort(want) : 'refused'}`, () => assert.deepEqual(checkHostPort(text, zero), want));
  }
});
