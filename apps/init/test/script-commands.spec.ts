// How init executes each script of a service: run/finish through their #! line when not executable, and oneshot
// up/down text through execlineb (-P, or -S1 for a template instance).
import assert from 'node:assert/strict';
import type { ServiceDefinition } from '@fortros/servicedir';
import { SpawnError } from '../src/errors.js';
import { finishRequest, oneshotRequest, runRequest, servicePath } from '../src/supervisor/script-commands.js';

const base = { name: 'svc', type: 'longrun', dir: '/s/svc', run: '/s/svc/run', env: {}, envUnset: [] } as unknown as ServiceDefinition;

describe('script commands', () => {
  it('executes an executable run directly, with the template param', () => {
    assert.deepEqual(runRequest(base), { file: '/s/svc/run', args: [] });
    assert.deepEqual(runRequest({ ...base, template: { template: 'svc@', param: 'tty1' } }), { file: '/s/svc/run', args: ['tty1'] });
  });

  it('runs a run or finish without the execute bit through its #! interpreter, as execve would', () => {
    assert.deepEqual(runRequest({ ...base, runInterpreter: ['/bin/sh'] }), { file: '/bin/sh', args: ['/s/svc/run'] });
    const def = { ...base, finish: '/s/svc/finish', finishInterpreter: ['/usr/bin/env', 'sh -e'] };
    assert.deepEqual(finishRequest(def, [256, 15]), { file: '/usr/bin/env', args: ['sh -e', '/s/svc/finish', '256', '15'] });
  });

  it('reads oneshot text with execlineb -P, an instance with -S1 and its param', () => {
    const cmd = { kind: 'execline', path: '/s/svc/up', script: 'foreground { true }' } as const;
    const got = oneshotRequest(base, cmd, '/usr/bin:/bin');
    assert.match(got.file, /\/execlineb$/);
    assert.deepEqual(got.args, ['-P', '-c', 'foreground { true }']);
    assert.deepEqual(oneshotRequest({ ...base, template: { template: 'svc@', param: 'p' } }, cmd, '/usr/bin:/bin').args, ['-S1', '-c', 'foreground { true }', 'p']);
    assert.deepEqual(oneshotRequest(base, { kind: 'exec', path: '/s/svc/up' }, undefined), { file: '/s/svc/up', args: [] });
  });

  it('names the PATH searched when execlineb is missing', () => {
    const cmd = { kind: 'execline', path: '/s/svc/up', script: 'true' } as const;
    assert.throws(() => oneshotRequest(base, cmd, '/nonexistent'), (err: Error) => err instanceof SpawnError && /execlineb: not found in PATH "\/nonexistent"/.test(err.message));
  });

  it('takes PATH from env/PATH over init\'s, and none when env/PATH is empty', () => {
    assert.equal(servicePath({ ...base, env: { PATH: '/opt/bin' } }, { PATH: '/bin' }), '/opt/bin');
    assert.equal(servicePath(base, { PATH: '/bin' }), '/bin');
    assert.equal(servicePath({ ...base, envUnset: ['PATH'] }, { PATH: '/bin' }), undefined);
  });
});
