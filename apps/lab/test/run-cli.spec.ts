// fortros-lab's exit codes and messages without a lab: help 0, usage errors 2, failures 1 naming the lab.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../src/cli/context.js';
import { runCli } from '../src/cli/run-cli.js';

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; base: string }> {
  const r = { code: 0, out: '', err: '', base: '' };
  r.code = await runCli(argv, env, (base): CliContext => {
    r.base = base;
    return { base, out: (l) => (r.out += `${l}\n`), err: (l) => (r.err += `${l}\n`), onInterrupt: () => () => undefined };
  });
  return r;
}

describe('runCli', () => {
  let base: string;
  beforeEach(async () => (base = await mkdtemp(join(tmpdir(), 'lab-cli-'))));
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('--help lists every command; COMMAND --help explains one', async () => {
    const all = await cli(['--help']);
    assert.equal(all.code, 0);
    for (const c of ['up N', 'status', 'exec NODE', 'partition', 'heal', 'loss PERCENT', 'kill NODE', 'restart NODE', 'down']) assert.ok(all.out.includes(`fortros-lab ${c}`), c);
    const one = await cli(['restart', '--help']);
    assert.equal(one.code, 0);
    assert.match(one.out, /Boot a killed node again on its root/);
  });

  it('a usage error exits 2 and says what is wrong', async () => {
    const r = await cli(['up', 'many']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^fortros-lab: up N: expected an integer 1-32, got "many"/);
  });

  it('the state base: --state-dir, else FORTROS_LAB_STATE_DIR', async () => {
    assert.equal((await cli(['--help', '--state-dir', '/a'], { FORTROS_LAB_STATE_DIR: '/b' })).base, '/a');
    assert.equal((await cli(['--help'], { FORTROS_LAB_STATE_DIR: '/b' })).base, '/b');
  });

  it('a command on a lab that is not there exits 1 naming it (as root)', async function () {
    if (process.getuid?.() !== 0) {
      console.log('      skipped: fortros-lab refuses to run without root');
      this.skip();
    }
    const none = await cli(['status', '--state-dir', base]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no lab under .*: start one with `fortros-lab up N`/);
    const named = await cli(['kill', 'node1', '--name', 'zz9', '--state-dir', base]);
    assert.equal(named.code, 1);
    assert.match(named.err, new RegExp(`no lab zz9: no state in ${join(base, 'zz9')}`));
  });
});
