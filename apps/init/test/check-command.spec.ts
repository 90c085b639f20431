// `fortros-init check`: exit codes (0 ok, 1 problems, 2 usage), --root/--source/FORTROS_ROOT, and that the
// output names the file at fault.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../src/check/check-command.js';

interface Captured {
  stdout: string;
  stderr: string;
}

async function check(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured & { code: number }> {
  const out: Captured = { stdout: '', stderr: '' };
  const code = await runCheck(argv, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) }, env);
  return { ...out, code };
}

async function service(dir: string, name: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, name, file), content);
  if (files.run !== undefined) await chmod(join(dir, name, 'run'), 0o755);
}

describe('fortros-init check', () => {
  let root: string;
  let services: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'check-command-'));
    services = join(root, 'etc/fortros/services');
    await service(services, 'db', { type: 'longrun\n', run: '#!/bin/sh\n', 'notification-fd': '3\n' });
    await service(services, 'web', { type: 'longrun\n', run: '#!/bin/sh\n', dependencies: 'db\n' });
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('exits 0 and prints the graph for a clean tree under --root', async () => {
    const r = await check(['--root', root]);
    strictEqual(r.code, 0, r.stdout);
    ok(r.stdout.includes(`service tree: ${services}\n`), r.stdout);
    ok(r.stdout.includes('web  longrun  needs: db'), r.stdout);
    strictEqual(r.stderr, '');
  });

  it('takes the root from FORTROS_ROOT', async () => {
    strictEqual((await check([], { FORTROS_ROOT: root })).code, 0);
  });

  it('exits 1 and names the file at fault', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'check-command-bad-'));
    try {
      await service(bad, 'web', { type: 'longrun\n', run: '#!/bin/sh\n', 'notification-fd': 'abc\n' });
      const r = await check(['--source', bad]);
      strictEqual(r.code, 1);
      ok(r.stdout.includes(`${join(bad, 'web', 'notification-fd')}: expected a non-negative integer fd (not 0-2), got "abc"`), r.stdout);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('exits 1 when the source directory is missing', async () => {
    const r = await check(['--source', join(root, 'nope')]);
    strictEqual(r.code, 1);
    ok(r.stdout.includes(`${join(root, 'nope')}: expected a readable directory of services, got no such file`), r.stdout);
  });

  it('accepts several --source directories', async () => {
    const extra = await mkdtemp(join(tmpdir(), 'check-command-extra-'));
    try {
      await service(extra, 'api', { type: 'longrun\n', run: '#!/bin/sh\n', dependencies: 'web\n' });
      const r = await check(['--source', services, '--source', extra]);
      strictEqual(r.code, 0, r.stdout);
      ok(r.stdout.includes('api  longrun  needs: web'), r.stdout);
    } finally {
      await rm(extra, { recursive: true, force: true });
    }
  });

  const USAGE_ERRORS: string[][] = [['--bogus'], ['stray'], ['--root'], ['--source', '']];
  for (const argv of USAGE_ERRORS) {
    it(`exits 2 with the usage on stderr for ${JSON.stringify(argv)}`, async () => {
      const r = await check(argv);
      strictEqual(r.code, 2);
      ok(r.stderr.includes('usage: fortros-init check'), r.stderr);
      deepStrictEqual(r.stdout, '');
    });
  }

  it('--help prints the usage and exits 0', async () => {
    const r = await check(['--help']);
    strictEqual(r.code, 0);
    ok(r.stdout.startsWith('usage: fortros-init check'));
  });
});
