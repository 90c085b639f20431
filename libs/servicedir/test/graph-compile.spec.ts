// The graph compiler: templates, bundles, references, cycles, duplicates, pipelines and failure propagation.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SERVICES, loadServiceTree, reverseDependents, topologicalOrder, type CompiledTree } from '../src/index.js';
import { bundle, cleanup, longrun, makeTree, oneshot, tempDir } from './fixture.js';

after(cleanup);

const messages = (tree: CompiledTree, name: string): string[] => (tree.failed.get(name) ?? []).map((p) => `${p.path}: ${p.message}`);

describe('compile: references', () => {
  it('an unknown dependency fails its referrer, naming the name and the referencing file', async () => {
    const src = await makeTree({ web: longrun({ dependencies: 'db\n' }), other: longrun() });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'web'), [
      `${join(src, 'web', 'dependencies')}: unknown dependency "db": expected a service directory ${join(src, 'db')}, found none`,
    ]);
    deepStrictEqual([...tree.services.keys()], ['other']);
  });

  it('an unknown dependency in dependencies.d names that entry', async () => {
    const src = await makeTree({ web: longrun({ 'dependencies.d/db': '' }) });
    strictEqual((await loadServiceTree(src)).failed.get('web')![0]!.path, join(src, 'web', 'dependencies.d', 'db'));
  });

  it('an unknown bundle member fails the bundle', async () => {
    const src = await makeTree({ all: bundle(['a', 'ghost']), a: longrun() });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'all'), [
      `${join(src, 'all', 'contents')}: unknown bundle member "ghost": expected a service directory ${join(src, 'ghost')}, found none`,
    ]);
    ok(tree.services.has('a'));
  });

  it('hidden entries and plain files in a source are ignored', async () => {
    const src = await makeTree({ '.git': longrun(), a: longrun() });
    await writeFile(join(src, 'README'), 'not a service');
    const tree = await loadServiceTree(src);
    deepStrictEqual([...tree.services.keys()], ['a']);
    deepStrictEqual(tree.failed.size + tree.problems.length, 0);
  });

  it('a symlink to a service directory is a service', async () => {
    const elsewhere = await makeTree({ real: longrun() });
    const src = await makeTree({});
    await symlink(join(elsewhere, 'real'), join(src, 'linked'));
    const def = (await loadServiceTree(src)).services.get('linked')!;
    strictEqual(def.run, join(src, 'linked', 'run'));
  });

  it('a directory with a bad service name is failed, naming it', async () => {
    const src = await makeTree({ '-bad': longrun(), a: longrun() });
    deepStrictEqual(messages(await loadServiceTree(src), '-bad'), [
      `${join(src, '-bad')}: expected a service name matching [A-Za-z0-9][A-Za-z0-9._@-]*, got "-bad"`,
    ]);
  });
});

describe('compile: several sources', () => {
  it('loads services from every source', async () => {
    const a = await makeTree({ x: longrun() });
    const b = await makeTree({ y: longrun({ dependencies: 'x\n' }) });
    const tree = await loadServiceTree([a, b]);
    deepStrictEqual([...tree.services.keys()], ['x', 'y']);
    deepStrictEqual(tree.sources, [a, b]);
    strictEqual(tree.source, a);
  });

  it('the same name in two sources is a duplicate naming both paths, and fails its dependents', async () => {
    const a = await makeTree({ x: longrun(), keep: longrun() });
    const b = await makeTree({ x: longrun(), y: longrun({ dependencies: 'x\n' }) });
    const tree = await loadServiceTree([a, b]);
    deepStrictEqual(messages(tree, 'x'), [`${join(b, 'x')}: duplicate name "x": also defined at ${join(a, 'x')}`]);
    deepStrictEqual(messages(tree, 'y'), [`${join(b, 'y', 'dependencies')}: depends on "x", which failed to load`]);
    deepStrictEqual([...tree.services.keys()], ['keep']);
  });

  it('a missing source is a tree-level problem; the other sources still load', async () => {
    const a = await makeTree({ x: longrun() });
    const missing = join(await tempDir(), 'nope');
    const tree = await loadServiceTree([missing, a]);
    deepStrictEqual(tree.problems, [{ path: missing, message: 'expected a readable directory of services, got no such file' }]);
    ok(tree.services.has('x'));
  });

  it(`more than MAX_SERVICES (${MAX_SERVICES}) directories is a problem`, async () => {
    const src = await tempDir();
    await Promise.all(
      Array.from({ length: MAX_SERVICES + 1 }, async (_, i) => {
        const dir = join(src, `s${String(i).padStart(5, '0')}`);
        await mkdir(dir);
        await writeFile(join(dir, 'type'), 'bundle\n');
      }),
    );
    const tree = await loadServiceTree(src);
    strictEqual(tree.services.size, MAX_SERVICES);
    deepStrictEqual(tree.problems.map((p) => p.message), [
      `expected at most ${MAX_SERVICES} services, got ${MAX_SERVICES + 1}; ignored 1 (the last by name)`,
    ]);
  });
});

describe('compile: bundles', () => {
  it('nested bundles load; a dependency on a bundle is kept as the bundle name', async () => {
    const src = await makeTree({
      a: longrun(), b: oneshot(), c: longrun(),
      inner: bundle(['a', 'b']), outer: bundle(['inner', 'c']),
      app: longrun({ dependencies: 'outer\n' }),
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual(tree.failed.size, 0);
    deepStrictEqual(tree.services.get('outer')!.contents, ['inner', 'c']);
    deepStrictEqual(tree.services.get('app')!.dependencies, ['outer']);
  });

  it('a failed member fails dependents of the bundle (through nested bundles) but not the bundle itself', async () => {
    const src = await makeTree({
      a: longrun(), bad: longrun({ 'notification-fd': 'x' }),
      inner: bundle(['a', 'bad']), outer: bundle(['inner']),
      app: longrun({ dependencies: 'outer\n' }), sibling: longrun({ dependencies: 'a\n' }),
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'app'), [
      `${join(src, 'app', 'dependencies')}: depends on "bad" (through bundle "outer" -> "inner"), which failed to load`,
    ]);
    ok(tree.services.has('outer') && tree.services.has('inner'), 'a bundle stays usable: boot still starts the rest of `default`');
    ok(tree.services.has('sibling'));
  });
});

describe('compile: cycles', () => {
  it('rejects a cycle, naming its members in order, and fails every member', async () => {
    const src = await makeTree({
      a: longrun({ dependencies: 'b\n' }), b: longrun({ 'dependencies.d/c': '' }), c: oneshot({ dependencies: 'a\n' }),
      d: longrun({ dependencies: 'a\n' }), free: longrun(),
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'a'), [`${join(src, 'a', 'dependencies')}: dependency cycle: a -> b -> c -> a`]);
    deepStrictEqual(messages(tree, 'b'), [`${join(src, 'b', 'dependencies.d', 'c')}: dependency cycle: b -> c -> a -> b`]);
    deepStrictEqual(messages(tree, 'c'), [`${join(src, 'c', 'dependencies')}: dependency cycle: c -> a -> b -> c`]);
    deepStrictEqual(messages(tree, 'd'), [`${join(src, 'd', 'dependencies')}: depends on "a", which failed to load`]);
    deepStrictEqual([...tree.services.keys()], ['free']);
  });

  it('a service depending on itself', async () => {
    const src = await makeTree({ a: longrun({ dependencies: 'a\n' }) });
    deepStrictEqual(messages(await loadServiceTree(src), 'a'), [`${join(src, 'a', 'dependencies')}: dependency cycle: a -> a`]);
  });

  it('a cycle through a bundle', async () => {
    const src = await makeTree({ a: longrun({ dependencies: 'all\n' }), all: bundle(['a']) });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'a'), [`${join(src, 'a', 'dependencies')}: dependency cycle: a -> all -> a`]);
    deepStrictEqual(messages(tree, 'all'), [`${join(src, 'all', 'contents')}: dependency cycle: all -> a -> all`]);
  });
});

describe('compile: failure propagation', () => {
  it('fails transitive dependents, naming the dependency, while siblings still load', async () => {
    const src = await makeTree({
      base: longrun({ run: 'not executable' }),
      mid: longrun({ dependencies: 'base\n' }), top: oneshot({ dependencies: 'mid\n' }),
      sibling: longrun(), uses: longrun({ dependencies: 'sibling\n' }),
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual([...tree.failed.keys()], ['base', 'mid', 'top']);
    deepStrictEqual(messages(tree, 'mid'), [`${join(src, 'mid', 'dependencies')}: depends on "base", which failed to load`]);
    deepStrictEqual(messages(tree, 'top'), [`${join(src, 'top', 'dependencies')}: depends on "mid", which failed to load`]);
    deepStrictEqual([...tree.services.keys()], ['sibling', 'uses']);
  });
});

describe('compile: templates', () => {
  it('a reference to name@param instantiates the name@ template', async () => {
    const src = await makeTree({
      'getty@': longrun({ 'env/TERM': 'linux\n' }),
      console: bundle(['getty@tty1', 'getty@tty2']),
      login: oneshot({ dependencies: 'getty@tty1\n' }),
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual(tree.failed.size, 0);
    const inst = tree.services.get('getty@tty1')!;
    deepStrictEqual(inst.template, { template: 'getty@', param: 'tty1' });
    strictEqual(inst.dir, join(src, 'getty@'));
    strictEqual(inst.run, join(src, 'getty@', 'run'));
    deepStrictEqual(inst.env, { TERM: 'linux' });
    ok(tree.services.has('getty@tty2'));
    ok(!tree.services.has('getty@'), 'a template is not a service');
    deepStrictEqual([...tree.templates!.keys()], ['getty@']);
  });

  it('an explicit name@param directory wins over the template', async () => {
    const src = await makeTree({ 'getty@': longrun(), 'getty@tty1': oneshot(), all: bundle(['getty@tty1']) });
    const def = (await loadServiceTree(src)).services.get('getty@tty1')!;
    strictEqual(def.type, 'oneshot');
    strictEqual(def.template, undefined);
  });

  it('instances of a template instantiate the instances their template depends on', async () => {
    const src = await makeTree({ 'net@': oneshot(), 'dhcp@': longrun({ dependencies: 'net@eth0\n' }), all: bundle(['dhcp@eth0']) });
    const tree = await loadServiceTree(src);
    deepStrictEqual([...tree.services.keys()].sort(), ['all', 'dhcp@eth0', 'net@eth0']);
  });

  it('an invalid template fails itself and every instance; an unknown template is an unknown dependency', async () => {
    const src = await makeTree({ 'bad@': longrun({ 'timeout-up': 'x' }), all: bundle(['bad@1']), x: longrun({ dependencies: 'none@1\n' }) });
    const tree = await loadServiceTree(src);
    deepStrictEqual(messages(tree, 'bad@'), [
      `${join(src, 'bad@', 'timeout-up')}: expected a non-negative integer of milliseconds (at most 2147483647), got "x"`,
    ]);
    deepStrictEqual(messages(tree, 'bad@1'), [`${join(src, 'bad@')}: instance of template "bad@", which failed to load`]);
    ok(tree.services.has('all'));
    ok(messages(tree, 'x')[0]!.includes('unknown dependency "none@1"'));
  });

  it('naming the template itself is a problem of the referrer', async () => {
    const src = await makeTree({ 'getty@': longrun(), x: longrun({ dependencies: 'getty@\n' }) });
    deepStrictEqual(messages(await loadServiceTree(src), 'x'), [
      `${join(src, 'x', 'dependencies')}: expected an instance name such as "getty@PARAM", got the template name "getty@"`,
    ]);
  });
});

describe('compile: pipelines', () => {
  const pipeline = {
    app: longrun({ 'producer-for': 'app-log\n' }),
    'app-log': longrun({ 'consumer-for': 'app\n', 'pipeline-name': 'app-pipeline\n' }),
  };

  it('a producer/consumer pair loads, and pipeline-name makes a bundle of the pipeline', async () => {
    const tree = await loadServiceTree(await makeTree(pipeline));
    deepStrictEqual(tree.failed.size, 0);
    strictEqual(tree.services.get('app')!.producerFor, 'app-log');
    deepStrictEqual(tree.services.get('app-log')!.consumerFor, ['app']);
    deepStrictEqual(tree.services.get('app-pipeline')!.contents, ['app', 'app-log']);
  });

  it('a producer depends on its consumer (s6-rc): the consumer starts first and stops last', async () => {
    const tree = await loadServiceTree(await makeTree({ ...pipeline, web: longrun({ 'dependencies.d/app-pipeline': '' }) }));
    deepStrictEqual(tree.services.get('app')!.dependencies, ['app-log']);
    deepStrictEqual(topologicalOrder(tree), ['app-log', 'app', 'web']);
    deepStrictEqual(reverseDependents(tree, 'app-log'), ['web', 'app']);
  });

  it('a consumer that also depends on its producer is a cycle', async () => {
    const src = await makeTree({ ...pipeline, 'app-log': longrun({ 'consumer-for': 'app\n', 'dependencies.d/app': '' }) });
    deepStrictEqual(messages(await loadServiceTree(src), 'app-log'), [`${join(src, 'app-log', 'dependencies.d', 'app')}: dependency cycle: app-log -> app -> app-log`]);
  });

  it('a producer whose consumer does not name it back is a problem', async () => {
    const src = await makeTree({ app: longrun({ 'producer-for': 'log\n' }), log: longrun() });
    deepStrictEqual(messages(await loadServiceTree(src), 'app'), [
      `${join(src, 'app', 'producer-for')}: expected "log" to list "app" in its consumer-for, got ""`,
    ]);
  });

  it('a failed consumer fails its producer', async () => {
    const src = await makeTree({ ...pipeline, 'app-log': longrun({ 'consumer-for': 'app\n', 'notification-fd': 'x' }) });
    deepStrictEqual(messages(await loadServiceTree(src), 'app'), [`${join(src, 'app', 'producer-for')}: produces for "app-log", which failed to load`]);
  });
});

describe('loadServiceTree: abort', () => {
  it('an aborted signal rejects with the abort reason', async () => {
    const src = await makeTree({ a: longrun() });
    const ac = new AbortController();
    ac.abort(new Error('stop now'));
    await loadServiceTree(src, { signal: ac.signal }).then(
      () => Promise.reject(new Error('expected a rejection')),
      (err: Error) => strictEqual(err.message, 'stop now'),
    );
  });
});
