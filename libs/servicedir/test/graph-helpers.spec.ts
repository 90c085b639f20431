// The pure graph helpers the supervisor uses: bundle expansion, closure, reverse dependents, start order.
import { deepStrictEqual, throws } from 'node:assert/strict';
import {
  DependencyCycleError,
  FailedServiceError,
  UnknownServiceError,
  atomicDependencies,
  dependencyClosure,
  expandBundles,
  loadServiceTree,
  reverseDependents,
  topologicalOrder,
  type CompiledTree,
  type ServiceDefinition,
} from '../src/index.js';
import { bundle, cleanup, longrun, makeTree, oneshot } from './fixture.js';

after(cleanup);

// The node of DESIGN §1, plus a nested bundle, a failed service inside `default`, and an unrelated service.
async function nodeTree(): Promise<CompiledTree> {
  return loadServiceTree(
    await makeTree({
      'persist-mount': oneshot(),
      wireguard: oneshot({ dependencies: 'persist-mount\n' }),
      maintainer: longrun({ dependencies: 'wireguard\n', 'notification-fd': '3' }),
      'key-service': longrun({ dependencies: 'persist-mount\n' }),
      reconciler: longrun({ 'dependencies.d/maintainer': '', 'dependencies.d/key-service': '' }),
      'boot-watchdog': oneshot({ dependencies: 'maintainer\n' }),
      core: bundle(['maintainer', 'key-service']),
      default: bundle(['core', 'reconciler', 'boot-watchdog', 'broken']),
      broken: longrun({ run: 'not executable' }),
      uses_core: longrun({ dependencies: 'core\n' }),
      lonely: longrun(),
    }),
  );
}

describe('graph helpers', () => {
  let tree: CompiledTree;
  before(async () => {
    tree = await nodeTree();
  });

  it('expandBundles: nested bundles to atomic members, first-seen order, failed members kept', () => {
    deepStrictEqual(expandBundles(tree, ['default']), ['maintainer', 'key-service', 'reconciler', 'boot-watchdog', 'broken']);
    deepStrictEqual(expandBundles(tree, ['lonely', 'core', 'maintainer']), ['lonely', 'maintainer', 'key-service']);
    throws(() => expandBundles(tree, ['nope']), UnknownServiceError);
  });

  it('atomicDependencies: direct dependencies with bundles expanded', () => {
    deepStrictEqual(atomicDependencies(tree, 'uses_core'), ['maintainer', 'key-service']);
    deepStrictEqual(atomicDependencies(tree, 'persist-mount'), []);
  });

  it('dependencyClosure: dependencies first, skipping failed bundle members', () => {
    deepStrictEqual(dependencyClosure(tree, ['reconciler']), ['persist-mount', 'key-service', 'wireguard', 'maintainer', 'reconciler']);
    const all = dependencyClosure(tree, ['default']);
    deepStrictEqual(new Set(all), new Set(['persist-mount', 'wireguard', 'maintainer', 'key-service', 'reconciler', 'boot-watchdog']));
    for (const name of all) for (const dep of atomicDependencies(tree, name)) deepStrictEqual(all.indexOf(dep) < all.indexOf(name), true);
    throws(() => dependencyClosure(tree, ['broken']), FailedServiceError);
    throws(() => dependencyClosure(tree, ['nope']), UnknownServiceError);
  });

  it('reverseDependents: everything that depends on X, transitively and through bundles, in stop order', () => {
    deepStrictEqual(reverseDependents(tree, 'persist-mount'), ['uses_core', 'reconciler', 'boot-watchdog', 'maintainer', 'wireguard', 'key-service']);
    deepStrictEqual(reverseDependents(tree, 'key-service'), ['uses_core', 'reconciler']);
    deepStrictEqual(reverseDependents(tree, 'lonely'), []);
    deepStrictEqual(reverseDependents(tree, 'broken'), []);
  });

  it('topologicalOrder: every atomic service, dependencies first, ties by name', () => {
    deepStrictEqual(topologicalOrder(tree), [
      'lonely', 'persist-mount', 'key-service', 'wireguard', 'maintainer', 'boot-watchdog', 'reconciler', 'uses_core',
    ]);
  });

  it('a hand-built tree with a cycle throws DependencyCycleError instead of looping', () => {
    const def = (name: string, deps: string[]): ServiceDefinition => ({
      name, type: 'longrun', dir: `/x/${name}`, dependencies: deps, contents: [], timeoutUpMs: 0, timeoutDownMs: 0,
      timeoutKillMs: 0, downSignal: 'SIGTERM', consumerFor: [], essential: false, env: {}, restartDelayMaxMs: 1,
    });
    const bad: CompiledTree = {
      source: '/x', services: new Map([['a', def('a', ['b'])], ['b', def('b', ['a'])]]), failed: new Map(), problems: [],
    };
    throws(() => dependencyClosure(bad, ['a']), (err: unknown) => err instanceof DependencyCycleError && err.message === 'dependency cycle: a -> b -> a');
    throws(() => topologicalOrder(bad), DependencyCycleError);
  });
});
