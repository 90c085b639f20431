// The pure parts of a rescan: the diff of two trees, and the effective tree that keeps old definitions of
// services not yet down.
import assert from 'node:assert/strict';
import { atomicDependencies, topologicalOrder, type CompiledTree, type ServiceDefinition } from '@fortros/servicedir';
import { effectiveTree } from '../src/supervisor/effective-tree.js';
import { describeLoadFailure, diffTrees, sameDefinition } from '../src/supervisor/tree-diff.js';

function def(name: string, over: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name, type: 'longrun', dir: `/s/${name}`, run: `/s/${name}/run`, dependencies: [], contents: [], timeoutUpMs: 0, timeoutDownMs: 0,
    timeoutKillMs: 0, downSignal: 'SIGTERM', consumerFor: [], essential: false, env: {}, restartDelayMaxMs: 0, ...over,
  };
}

function tree(defs: ServiceDefinition[], failed: Record<string, string> = {}): CompiledTree {
  return {
    source: '/s',
    services: new Map(defs.map((d) => [d.name, d])),
    failed: new Map(Object.entries(failed).map(([n, m]) => [n, [{ service: n, path: `/s/${n}/type`, message: m }]])),
    problems: [],
  };
}

const none = { before: new Map<string, string>(), after: new Map<string, string>() };

describe('rescan: tree diff', () => {
  it('names added, removed, changed and failed services, sorted', () => {
    const known = new Map<string, ServiceDefinition | undefined>([
      ['db', def('db')],
      ['app', def('app', { dependencies: ['db'] })],
      ['gone', def('gone')],
      ['broken', undefined],
      ['fixed', undefined],
    ]);
    const next = tree(
      [def('db'), def('app', { dependencies: ['db', 'cache'] }), def('cache'), def('zz', { type: 'bundle', run: undefined, contents: ['app'] }), def('fixed')],
      { broken: 'expected longrun, oneshot or bundle', newbad: 'bad' },
    );
    const d = diffTrees(known, next, none);
    assert.deepEqual(d.added, ['cache', 'newbad', 'zz']);
    assert.deepEqual(d.removed, ['gone']);
    assert.deepEqual(d.changed, ['app', 'fixed'], 'a new dependency is a change; a load failure that loads now is one too');
    assert.deepEqual(d.failed, [
      { name: 'broken', reason: '/s/broken/type: expected longrun, oneshot or bundle' },
      { name: 'newbad', reason: '/s/newbad/type: bad' },
    ]);
  });

  it('sees a script edited in place (same path, same definition) through its fingerprint', () => {
    const known = new Map([['svc', def('svc')], ['other', def('other')]]);
    const next = tree([def('svc'), def('other')]);
    const scripts = { before: new Map([['svc', 'a'], ['other', 'x']]), after: new Map([['svc', 'b'], ['other', 'x']]) };
    assert.deepEqual(diffTrees(known, next, scripts).changed, ['svc']);
    assert.deepEqual(diffTrees(known, next, { before: new Map(), after: scripts.after }).changed, [], 'unknown before: by definition only');
  });

  it('compares definitions by value, whatever the key order or undefined fields', () => {
    const a = def('svc', { env: { A: '1', B: '2' } });
    const b = { ...def('svc'), env: { B: '2', A: '1' }, finish: undefined } as ServiceDefinition;
    assert.ok(sameDefinition(a, b));
    assert.ok(!sameDefinition(a, def('svc', { env: { A: '1' } })));
    assert.ok(!sameDefinition(def('svc', { dependencies: ['a', 'b'] }), def('svc', { dependencies: ['a'] })));
  });

  it('describes a load failure by every problem, path first', () => {
    assert.equal(describeLoadFailure([{ path: '/a', message: 'x' }, { path: '/b', message: 'y' }]), '/a: x; /b: y');
    assert.equal(describeLoadFailure([]), 'failed to load');
  });
});

describe('rescan: effective tree', () => {
  it('adds kept definitions with their atomic edges to defined services only, and stays acyclic', () => {
    // latest: `old` was deleted; `broken` failed to load; bundle `all` now holds `broken` (a failed member)
    const latest = tree([def('db'), def('all', { type: 'bundle', run: undefined, contents: ['db', 'broken'] })], { broken: 'bad', lost: 'bad' });
    const kept = new Map([
      ['old', { def: def('old', { dependencies: ['all'] }), deps: ['db', 'broken', 'lost', 'vanished'] }],
      ['broken', { def: def('broken', { dependencies: ['all'] }), deps: ['db'] }],
    ]);
    const eff = effectiveTree(latest, kept);
    assert.deepEqual([...eff.failed.keys()], ['lost'], 'a kept service is no longer a load failure');
    assert.deepEqual(eff.services.get('old')!.dependencies, ['db', 'broken'], 'never a bundle, a load failure or an unknown name');
    assert.deepEqual(eff.services.get('broken')!.dependencies, ['db']);
    assert.deepEqual(atomicDependencies(eff, 'old'), ['db', 'broken']);
    assert.deepEqual(topologicalOrder(eff), ['db', 'broken', 'old']);
    assert.equal(latest.services.has('old'), false, 'latest is not modified');
  });

  it('keeps a removed bundle with its atomic members as contents', () => {
    const latest = tree([def('a'), def('b')]);
    const eff = effectiveTree(latest, new Map([['grp', { def: def('grp', { type: 'bundle', run: undefined, contents: ['sub'] }), deps: ['a', 'gone'] }]]));
    assert.deepEqual(eff.services.get('grp')!.contents, ['a']);
    assert.equal(effectiveTree(latest, new Map()), latest);
  });
});
