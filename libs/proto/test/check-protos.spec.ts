// The CI proto checks (scripts/check-protos.sh), run for real in scratch git repositories holding a copy of proto/:
// buf lint, and buf breaking against the right base (fork point from main, previous commit on main, none if shallow).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = 'libs/proto/scripts/check-protos.sh';
const KEYS = 'proto/fortros/keys/v1/keys.proto';

function sh(cwd: string, cmd: string, args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
const git = (cwd: string, ...args: string[]): string => {
  const r = sh(cwd, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args]);
  assert.equal(r.code, 0, r.out);
  return r.out.trim();
};
const check = (cwd: string, env: Record<string, string> = {}) => sh(cwd, 'sh', [SCRIPT], env);
const edit = (repo: string, from: string, to: string): void => {
  const text = readFileSync(join(repo, KEYS), 'utf8');
  assert.ok(text.includes(from), from);
  writeFileSync(join(repo, KEYS), text.replace(from, to));
};

describe('check-protos.sh: buf lint and buf breaking', function () {
  this.timeout(120_000);
  let dir: string, repo: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-protos-'));
    repo = join(dir, 'repo');
    mkdirSync(join(repo, 'libs/proto/scripts'), { recursive: true });
    cpSync(join(ROOT, 'proto'), join(repo, 'proto'), { recursive: true });
    cpSync(join(ROOT, 'buf.yaml'), join(repo, 'buf.yaml'));
    cpSync(join(ROOT, SCRIPT), join(repo, SCRIPT));
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('on main, compares with the previous commit, and fails on a renumbered field in the working tree', () => {
    edit(repo, '// The key service.', '// The key service (comment only).');
    git(repo, 'commit', '-qam', 'two');
    const first = git(repo, 'rev-parse', 'HEAD~1');
    const ok = check(repo);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`buf breaking passed against ${first}`));
    edit(repo, 'uint32 version = 3;', 'uint32 version = 4;');
    const broken = check(repo);
    assert.notEqual(broken.code, 0, broken.out);
    assert.match(broken.out, /keys\.proto:.*"version" on message "DeriveKeyRequest" was deleted/);
  });

  it('on a branch, compares with the fork point from main, not with what main has since', () => {
    git(repo, 'checkout', '-qb', 'feature');
    edit(repo, 'uint32 version = 3;', 'uint32 version = 3;\n  string note = 9;');
    git(repo, 'commit', '-qam', 'feature: a new field');
    const fork = git(repo, 'rev-parse', 'main');
    git(repo, 'checkout', '-q', 'main');
    edit(repo, 'uint32 version = 3;', 'uint32 version = 3;\n  string other = 10;');
    git(repo, 'commit', '-qam', 'main: another field');
    git(repo, 'checkout', '-q', 'feature');
    const r = check(repo);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`passed against ${fork}`));
    // what a base given by hand says: against main's newer commit, the feature branch lacks field 10
    const against = check(repo, { PROTO_BREAKING_AGAINST: 'main' });
    assert.notEqual(against.code, 0, against.out);
    assert.match(against.out, /"10" with name "other"/);
  });

  it('fails the lint on a name outside the house rules', () => {
    writeFileSync(join(repo, KEYS), `${readFileSync(join(repo, KEYS), 'utf8')}\nmessage bad_name {}\n`);
    const r = check(repo);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /bad_name/);
  });

  it('in a shallow clone with no base commit, lints and says the breaking check is skipped', () => {
    edit(repo, '// The key service.', '// The key service (comment only).');
    git(repo, 'commit', '-qam', 'two');
    const shallow = join(dir, 'shallow');
    git(dir, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    symlinkSync(join(ROOT, 'node_modules'), join(shallow, 'node_modules'));
    const r = check(shallow);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /buf lint passed/);
    assert.match(r.out, /breaking check skipped/);
  });
});
