// Workload spec validation (DESIGN §9): defaults, driver fields, and a table of bad fields each named in the error.
import assert from 'node:assert/strict';
import { WorkloadSpecError } from '../src/errors.js';
import { validateWorkloadSpec } from '../src/workload-spec.js';
import { WORKLOAD_ARGS_MAX, WORKLOAD_ENV_MAX } from '../src/constants.js';

const base = { id: 'web', driver: 'process', command: '/usr/bin/python3', placement: { nodes: ['node-a'] } };

describe('org: workload spec validation', () => {
  it('accepts the DESIGN §9 example unchanged', () => {
    const spec = {
      id: 'web',
      driver: 'process',
      command: '/usr/bin/python3',
      args: ['-m', 'http.server', '8080'],
      env: { MODE: 'prod' },
      restart: 'always',
      placement: { nodes: ['node-a'] },
      keys: ['tls'],
    };
    assert.deepEqual(validateWorkloadSpec(spec), spec);
  });

  it('fills in defaults once', () => {
    assert.deepEqual(validateWorkloadSpec(base), { ...base, restart: 'always', args: [], env: {}, keys: [] });
    const vm = validateWorkloadSpec({ id: 'vm1', driver: 'vm', kernel: '/boot/vmlinuz', placement: { selector: { gpu: 'yes' }, replicas: 2 } });
    assert.deepEqual(vm, {
      id: 'vm1',
      driver: 'vm',
      kernel: '/boot/vmlinuz',
      memoryMiB: 512,
      cpus: 1,
      restart: 'always',
      keys: [],
      placement: { selector: { gpu: 'yes' }, replicas: 2 },
    });
  });

  it('accepts the driver fields the reconciler runs: process uid, gid, namespaces; vm initrd, append', () => {
    const p = validateWorkloadSpec({ ...base, uid: 1000, gid: 1000, namespaces: ['pid', 'mount'] });
    assert.deepEqual([p.driver === 'process' && p.uid, p.driver === 'process' && p.gid, p.driver === 'process' && p.namespaces], [1000, 1000, ['pid', 'mount']]);
    const vm = validateWorkloadSpec({ id: 'v', driver: 'vm', kernel: '/boot/vmlinuz', initrd: '/boot/initrd.img', append: 'console=ttyS0', placement: { nodes: ['a'] } });
    assert.deepEqual([vm.driver === 'vm' && vm.initrd, vm.driver === 'vm' && vm.append], ['/boot/initrd.img', 'console=ttyS0']);
    for (const [bad, field] of [
      [{ namespaces: ['time'] }, 'namespaces[0]'],
      [{ namespaces: ['pid', 'pid'] }, 'namespaces[1]'],
      [{ uid: -1 }, 'uid'],
      [{ gid: 1.5 }, 'gid'],
    ] as const) {
      assert.throws(() => validateWorkloadSpec({ ...base, ...bad }), (e: unknown) => e instanceof WorkloadSpecError && e.field === field, JSON.stringify(bad));
    }
    assert.throws(() => validateWorkloadSpec({ ...base, initrd: '/x' }), (e: unknown) => e instanceof WorkloadSpecError && /not a field of driver process/.test(e.reason));
  });

  it('accepts oci with a bundle or an image', () => {
    assert.equal(validateWorkloadSpec({ ...base, driver: 'oci', command: undefined, bundle: '/b' }).driver, 'oci');
    const spec = validateWorkloadSpec({ id: 'o', driver: 'oci', image: '/rootfs', placement: { replicas: 1 } });
    assert.deepEqual(spec.placement, { selector: {}, replicas: 1 });
  });

  const cases: [string, Record<string, unknown> | unknown, string][] = [
    ['not an object', null, 'spec: expected an object, got null'],
    ['id uppercase', { ...base, id: 'Web' }, 'id: expected a name matching [a-z0-9][a-z0-9._-]{0,62}, got "Web"'],
    ['id missing', { ...base, id: undefined }, 'id: expected a name'],
    ['id too long', { ...base, id: 'a'.repeat(64) }, 'id: expected a name'],
    ['driver unknown', { ...base, driver: 'docker' }, 'driver: expected one of process, oci, vm, got "docker"'],
    ['unknown field', { ...base, colour: 'red' }, 'colour: unknown field'],
    ['field of another driver', { ...base, kernel: '/k' }, 'kernel: not a field of driver process'],
    ['command missing', { ...base, command: undefined }, 'command: expected a string, got nothing'],
    ['command empty', { ...base, command: '' }, 'command: expected a non-empty string'],
    ['command with NUL', { ...base, command: '/bin/a\0b' }, 'command: expected no NUL character'],
    ['args not array', { ...base, args: 'x' }, 'args: expected an array, got "x"'],
    ['args item', { ...base, args: ['ok', 5] }, 'args[1]: expected a string, got 5'],
    ['args too many', { ...base, args: Array(WORKLOAD_ARGS_MAX + 1).fill('a') }, `args: expected at most ${WORKLOAD_ARGS_MAX} items`],
    ['env key', { ...base, env: { 'BAD-KEY': 'x' } }, 'env.BAD-KEY: expected a key matching'],
    ['env value', { ...base, env: { MODE: 1 } }, 'env.MODE: expected a string, got 1'],
    [
      'env too many',
      { ...base, env: Object.fromEntries(Array.from({ length: WORKLOAD_ENV_MAX + 1 }, (_, i) => [`K${i}`, 'v'])) },
      `env: expected at most ${WORKLOAD_ENV_MAX} entries`,
    ],
    ['restart', { ...base, restart: 'sometimes' }, 'restart: expected one of always, on-failure, never, got "sometimes"'],
    ['placement missing', { ...base, placement: undefined }, 'placement: expected an object, got nothing'],
    ['placement empty', { ...base, placement: {} }, 'placement: expected either {nodes} or {selector, replicas}'],
    ['placement both', { ...base, placement: { nodes: ['a'], replicas: 1 } }, 'placement: expected either {nodes} or {selector, replicas}'],
    ['placement unknown', { ...base, placement: { nodes: ['a'], zone: 1 } }, 'placement.zone: unknown field'],
    ['placement.nodes empty', { ...base, placement: { nodes: [] } }, 'placement.nodes: expected at least one node'],
    ['placement.nodes item', { ...base, placement: { nodes: ['a', 'B!'] } }, 'placement.nodes[1]: expected a name'],
    ['placement.nodes dup', { ...base, placement: { nodes: ['a', 'a'] } }, 'placement.nodes[1]: expected no duplicates'],
    ['replicas negative', { ...base, placement: { selector: {}, replicas: -1 } }, 'placement.replicas: expected a positive integer, got -1'],
    ['replicas fraction', { ...base, placement: { selector: {}, replicas: 1.5 } }, 'placement.replicas: expected a positive integer, got 1.5'],
    ['selector value', { ...base, placement: { selector: { zone: 3 }, replicas: 1 } }, 'placement.selector.zone: expected a string, got 3'],
    ['keys item', { ...base, keys: ['tls', 'TLS'] }, 'keys[1]: expected a name'],
    ['keys dup', { ...base, keys: ['tls', 'tls'] }, 'keys[1]: expected no duplicates'],
    ['oci neither', { id: 'o', driver: 'oci', placement: { nodes: ['a'] } }, 'bundle: expected exactly one of bundle or image, got neither'],
    ['oci both', { id: 'o', driver: 'oci', bundle: '/b', image: '/i', placement: { nodes: ['a'] } }, 'bundle: expected exactly one of bundle or image, got both'],
    ['oci relative', { id: 'o', driver: 'oci', image: 'rootfs', placement: { nodes: ['a'] } }, 'image: expected an absolute path, got "rootfs"'],
    ['vm kernel', { id: 'v', driver: 'vm', placement: { nodes: ['a'] } }, 'kernel: expected a string, got nothing'],
    ['vm command', { id: 'v', driver: 'vm', kernel: '/k', command: '/x', placement: { nodes: ['a'] } }, 'command: not a field of driver vm'],
    ['vm memory', { id: 'v', driver: 'vm', kernel: '/k', memoryMiB: 8, placement: { nodes: ['a'] } }, 'memoryMiB: expected an integer ≥ 16, got 8'],
    ['vm cpus', { id: 'v', driver: 'vm', kernel: '/k', cpus: 0, placement: { nodes: ['a'] } }, 'cpus: expected a positive integer, got 0'],
    ['vm cpus too many', { id: 'v', driver: 'vm', kernel: '/k', cpus: 100000, placement: { nodes: ['a'] } }, 'cpus: expected an integer ≤ 256'],
  ];

  for (const [name, input, message] of cases) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => validateWorkloadSpec(input),
        (err: unknown) => {
          assert.ok(err instanceof WorkloadSpecError, `expected WorkloadSpecError, got ${String(err)}`);
          assert.equal(err.name, 'WorkloadSpecError');
          assert.ok(err.message.startsWith(message), `message ${JSON.stringify(err.message)} should start with ${JSON.stringify(message)}`);
          assert.equal(err.field, message.slice(0, message.indexOf(':')));
          return true;
        },
      );
    });
  }
});
