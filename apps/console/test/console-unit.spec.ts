// Unit tests of fortros-console's edges: HTML escaping, the credential check, and the refusal to serve beyond
// loopback without --allow-remote and --token-file (a real process: exit 2 with a clear message, nothing bound).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { authorized, readTokenFile, sameSecret } from '../src/http/auth.js';
import { escapeHtml, html, page, Safe } from '../src/http/html.js';
import { RemoteWithoutCredentialError, TokenFileError } from '../src/errors.js';
import { isLoopbackHost, parseCommandLine } from '../src/options.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TOKEN = 'correct-horse-battery-staple';

describe('console: HTML escaping', () => {
  it('escapes the five markup characters and drops control characters', () => {
    assert.equal(escapeHtml(`<script>alert("x" & 'y')</script>\x07`), '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
  it('escapes every interpolated value of html`` (arrays too) but keeps Safe markup', () => {
    const name = '"><img src=x onerror=alert(1)>';
    const out = html`<td title="${name}">${[name, new Safe('<b>ok</b>')]}</td>`.text;
    assert.ok(!out.includes('<img'), out);
    assert.ok(out.includes('<b>ok</b>'));
    assert.ok(out.includes('&quot;&gt;&lt;img'));
  });
  it('escapes the page title', () => {
    assert.ok(page('a</title><script>', html``).includes('a&lt;/title&gt;&lt;script&gt;'));
  });
});

describe('console: credentials', () => {
  const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const cases: [string, string | undefined, boolean][] = [
    ['bearer with the token', `Bearer ${TOKEN}`, true],
    ['bearer, scheme in lower case', `bearer ${TOKEN}`, true],
    ['basic with the token as password', basic('anyone', TOKEN), true],
    ['no header', undefined, false],
    ['bearer with another token', 'Bearer correct-horse-battery-stapleX', false],
    ['bearer with a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`, false],
    ['basic with the token as user name', basic(TOKEN, ''), false],
    ['basic without a colon', `Basic ${Buffer.from(TOKEN).toString('base64')}`, false],
    ['another scheme', `Digest ${TOKEN}`, false],
  ];
  for (const [what, header, ok] of cases) it(`${ok ? 'accepts' : 'refuses'} ${what}`, () => assert.equal(authorized(header, TOKEN), ok));
  it('compares secrets of any length', () => {
    assert.equal(sameSecret('a', 'a'), true);
    assert.equal(sameSecret('a', 'ab'), false);
  });

  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'cn-unit-'))));
  after(() => rm(dir, { recursive: true, force: true }));
  it('reads the first line of a token file; a missing or short one is refused naming the file', async () => {
    await writeFile(join(dir, 'good'), `${TOKEN}\n`);
    assert.equal(await readTokenFile(join(dir, 'good')), TOKEN);
    await writeFile(join(dir, 'short'), 'abc\n');
    await assert.rejects(readTokenFile(join(dir, 'short')), (e: Error) => e instanceof TokenFileError && e.message.includes(join(dir, 'short')));
    await assert.rejects(readTokenFile(join(dir, 'absent')), (e: Error) => e instanceof TokenFileError && /ENOENT/.test(e.message));
  });
});

describe('console: where it may listen', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', 'localhost', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.com', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  });
  it('listens on 127.0.0.1:8480 by default, without a credential', () => {
    const c = parseCommandLine([], {});
    assert.equal(c.command, 'run');
    if (c.command === 'run') assert.deepEqual([c.options.listen, c.options.tokenFile], [{ host: '127.0.0.1', port: 8480 }, undefined]);
  });
  it('refuses a non-loopback address without --allow-remote, and --allow-remote without --token-file', () => {
    assert.throws(() => parseCommandLine(['--listen', '0.0.0.0:8480'], {}), (e: Error) => e instanceof RemoteWithoutCredentialError && /--allow-remote/.test(e.message));
    assert.throws(() => parseCommandLine(['--listen', '0.0.0.0:8480', '--allow-remote'], {}), (e: Error) => e instanceof RemoteWithoutCredentialError && /--token-file/.test(e.message));
    const c = parseCommandLine(['--listen', '0.0.0.0:8480', '--allow-remote', '--token-file', '/x/token'], {});
    assert.equal(c.command === 'run' && c.options.tokenFile, '/x/token');
  });
  it('the program exits 2 with the message and binds nothing when asked to listen beyond loopback without a credential', async () => {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', MAIN, '--listen', '0.0.0.0:8480'], { timeout: 30_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a loopback address: refusing .* without --allow-remote and --token-file/);
  });
});
