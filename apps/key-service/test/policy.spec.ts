// Policy: the built-in allow-own rule, policy file validation (errors name file and field), workload spec keys.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Identity } from '../src/attribution/identity.js';
import { PolicyFileError } from '../src/errors.js';
import { loadPolicyFile, parsePolicy } from '../src/policy/policy-file.js';
import { allowedPurposes, BUILT_IN_POLICY, isPurposeAllowed } from '../src/policy/policy.js';
import { tempDir } from './helpers.js';

const web: Identity = { kind: 'service', name: 'web', pid: 100 };
const api: Identity = { kind: 'service', name: 'api', pid: 101 };
const job: Identity = { kind: 'workload', name: 'job', pid: 102 };

describe('policy', () => {
  it('built in: every service and workload may derive any purpose', () => {
    assert.deepEqual(allowedPurposes(BUILT_IN_POLICY, web), { any: true });
    assert.ok(isPurposeAllowed(BUILT_IN_POLICY, job, 'anything'));
  });

  it('a file restricts listed callers; the default rule covers the rest', () => {
    const policy = parsePolicy(
      { default: 'deny', services: { web: { purposes: ['tls', 'session'] } }, workloads: { job: { purposes: ['db'] } } },
      '/etc/p.json',
    );
    assert.deepEqual(allowedPurposes(policy, web), { any: false, purposes: ['session', 'tls'] });
    assert.ok(isPurposeAllowed(policy, web, 'tls'));
    assert.ok(!isPurposeAllowed(policy, web, 'default'));
    assert.deepEqual(allowedPurposes(policy, api), { any: false, purposes: [] });
    assert.ok(isPurposeAllowed(policy, job, 'db'));
    // a service and a workload with the same name are different callers
    assert.ok(!isPurposeAllowed(policy, { ...job, name: 'web' }, 'tls'));
    const allowOwn = parsePolicy({ services: { web: { purposes: ['tls'] } } }, 'p.json');
    assert.equal(allowOwn.default, 'allow-own');
    assert.ok(isPurposeAllowed(allowOwn, api, 'whatever'));
  });

  it("a workload's spec keys narrow its purposes; the file stays a ceiling", () => {
    const withKeys: Identity = { ...job, purposes: ['tls', 'db'] };
    assert.deepEqual(allowedPurposes(BUILT_IN_POLICY, withKeys), { any: false, purposes: ['db', 'tls'] });
    const policy = parsePolicy({ workloads: { job: { purposes: ['db', 'cache'] } } }, 'p.json');
    assert.deepEqual(allowedPurposes(policy, withKeys), { any: false, purposes: ['db'] });
  });

  const invalid: Array<[unknown, string, RegExp]> = [
    [[], '(top level)', /\(top level\): expected an object, got \[\]/],
    [{ defaults: 'deny' }, 'defaults', /defaults: expected one of the fields default, services, workloads, got "defaults"/],
    [{ default: 'allow' }, 'default', /default: expected "allow-own" or "deny", got "allow"/],
    [{ services: [] }, 'services', /services: expected an object of name → .*, got \[\]/],
    [{ services: { Web: { purposes: [] } } }, 'services.Web', /services\.Web: expected a service name matching .*, got "Web"/],
    [{ services: { 'workload.x': { purposes: [] } } }, 'services.workload.x', /not starting with "workload\."/],
    [{ services: { web: ['tls'] } }, 'services.web', /services\.web: expected an object \{ "purposes": \[\.\.\.\] \}, got \["tls"\]/],
    [{ services: { web: { purpose: ['tls'] } } }, 'services.web.purpose', /expected one of the fields purposes, got "purpose"/],
    [{ services: { web: {} } }, 'services.web.purposes', /services\.web\.purposes: expected an array of purpose names, got nothing/],
    [{ services: { web: { purposes: ['tls', 'TLS'] } } }, 'services.web.purposes[1]', /purposes\[1\]: expected a purpose matching .*, got "TLS"/],
    [{ services: { web: { purposes: [42] } } }, 'services.web.purposes[0]', /got 42/],
    [{ workloads: { ['x'.repeat(60)]: { purposes: [] } } }, `workloads.${'x'.repeat(60)}`, /expected a workload id such that/],
  ];
  for (const [doc, field, message] of invalid) {
    it(`refuses ${JSON.stringify(doc).slice(0, 60)} naming the file and ${field}`, () => {
      assert.throws(() => parsePolicy(doc, '/etc/fortros/keys-policy.json'), (err: Error) => {
        assert.ok(err instanceof PolicyFileError);
        assert.equal(err.name, 'PolicyFileError');
        assert.equal(err.field, field);
        assert.equal(err.path, '/etc/fortros/keys-policy.json');
        assert.match(err.message, /^policy \/etc\/fortros\/keys-policy\.json: /);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('loads a file, and names it when it is missing or not JSON', async () => {
    const dir = await tempDir();
    try {
      const good = join(dir.path, 'policy.json');
      await writeFile(good, JSON.stringify({ default: 'deny', services: { web: { purposes: ['tls'] } } }));
      const policy = await loadPolicyFile(good);
      assert.equal(policy.source, good);
      assert.ok(isPurposeAllowed(policy, web, 'tls'));
      const missing = join(dir.path, 'nope.json');
      await assert.rejects(loadPolicyFile(missing), new RegExp(`policy ${missing}: could not read the file \\(ENOENT\\)`));
      const broken = join(dir.path, 'broken.json');
      await writeFile(broken, '{ "default": ');
      await assert.rejects(loadPolicyFile(broken), (err: Error) => err instanceof PolicyFileError && /not valid JSON/.test(err.message));
    } finally {
      await dir.remove();
    }
  });
});
