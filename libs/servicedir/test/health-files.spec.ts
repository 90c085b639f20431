// The health-check files of our own (`health-check`, `health-interval`, `health-timeout`, `health-retries`,
// `health-start-period`): parsed values with their defaults, and invalid files failing only their service.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { join } from 'node:path';
import { describeHealthProbe, loadServiceTree, type HealthSpec } from '../src/index.js';
import { cleanup, longrun, makeTree, type ServiceSpec } from './fixture.js';

after(cleanup);

const DEFAULTS = { intervalMs: 10_000, timeoutMs: 5_000, retries: 3, startPeriodMs: 0 };

const VALID: Array<{ title: string; spec: ServiceSpec; health: HealthSpec | undefined; text?: string }> = [
  { title: 'no health-check: no health, even with other health files', spec: longrun({ 'health-interval': '500\n' }), health: undefined },
  { title: 'tcp HOST:PORT', spec: longrun({ 'health-check': 'tcp 127.0.0.1:8080\n' }), health: { probe: { kind: 'tcp', host: '127.0.0.1', port: 8080 }, ...DEFAULTS } },
  { title: 'tcp [::1]:80', spec: longrun({ 'health-check': 'tcp [::1]:80' }), health: { probe: { kind: 'tcp', host: '::1', port: 80 }, ...DEFAULTS }, text: 'tcp [::1]:80' },
  { title: 'http URL', spec: longrun({ 'health-check': '# comment\n\nhttp http://localhost:8080/healthz\n' }), health: { probe: { kind: 'http', url: 'http://localhost:8080/healthz' }, ...DEFAULTS } },
  { title: 'exec COMMAND', spec: longrun({ 'health-check': 'exec pgrep -x web\n' }), health: { probe: { kind: 'exec', command: 'pgrep -x web' }, ...DEFAULTS } },
  { title: 'any other line is a command', spec: longrun({ 'health-check': 'test -S "$SOCK"\n' }), health: { probe: { kind: 'exec', command: 'test -S "$SOCK"' }, ...DEFAULTS }, text: 'exec test -S "$SOCK"' },
  {
    title: 'every setting',
    spec: longrun({ 'health-check': 'true', 'health-interval': '250\n', 'health-timeout': '100\n', 'health-retries': '1\n', 'health-start-period': '3000\n' }),
    health: { probe: { kind: 'exec', command: 'true' }, intervalMs: 250, timeoutMs: 100, retries: 1, startPeriodMs: 3000 },
  },
];

const INVALID: Array<{ title: string; files: ServiceSpec; file: string; message: string }> = [
  { title: 'empty health-check', files: { 'health-check': '\n# nothing\n' }, file: 'health-check', message: 'expected a command line, "exec COMMAND", "tcp HOST:PORT" or "http URL", got an empty file' },
  { title: 'tcp without a port', files: { 'health-check': 'tcp 127.0.0.1\n' }, file: 'health-check', message: 'expected tcp HOST:PORT (port 1-65535), got "tcp 127.0.0.1"' },
  { title: 'tcp port 0', files: { 'health-check': 'tcp localhost:0\n' }, file: 'health-check', message: 'expected tcp HOST:PORT (port 1-65535), got "tcp localhost:0"' },
  { title: 'http with a non-URL', files: { 'health-check': 'http localhost/x\n' }, file: 'health-check', message: 'expected http URL (an http:// or https:// URL), got "http localhost/x"' },
  { title: 'http with ftp://', files: { 'health-check': 'http ftp://x/\n' }, file: 'health-check', message: 'expected http URL (an http:// or https:// URL), got "http ftp://x/"' },
  { title: 'exec without a command', files: { 'health-check': 'exec\n' }, file: 'health-check', message: 'expected exec COMMAND, got "exec"' },
  { title: 'interval below 100 ms', files: { 'health-check': 'true', 'health-interval': '50\n' }, file: 'health-interval', message: 'expected an integer of milliseconds from 100 to 2147483647, got "50"' },
  { title: 'interval in seconds', files: { 'health-check': 'true', 'health-interval': '10s\n' }, file: 'health-interval', message: 'expected an integer of milliseconds from 100 to 2147483647, got "10s"' },
  { title: 'timeout 0', files: { 'health-check': 'true', 'health-timeout': '0\n' }, file: 'health-timeout', message: 'expected an integer of milliseconds from 10 to 2147483647, got "0"' },
  { title: 'retries 0', files: { 'health-check': 'true', 'health-retries': '0\n' }, file: 'health-retries', message: 'expected an integer from 1 to 1000, got "0"' },
  { title: 'negative start period', files: { 'health-check': 'true', 'health-start-period': '-1\n' }, file: 'health-start-period', message: 'expected an integer of milliseconds from 0 to 2147483647, got "-1"' },
  { title: 'a bad setting without health-check is still an error', files: { 'health-retries': 'many\n' }, file: 'health-retries', message: 'expected an integer from 1 to 1000, got "many"' },
];

describe('health-check files', () => {
  for (const c of VALID) {
    it(c.title, async () => {
      const tree = await loadServiceTree(await makeTree({ web: c.spec }));
      const def = tree.services.get('web');
      ok(def, JSON.stringify([...tree.failed]));
      deepStrictEqual(def.health, c.health);
      if (c.text) strictEqual(describeHealthProbe(def.health!.probe), c.text);
    });
  }
  for (const c of INVALID) {
    it(`invalid: ${c.title} (only that service fails, the path named)`, async () => {
      const src = await makeTree({ web: longrun(c.files), good: longrun({ 'health-check': 'true' }) });
      const tree = await loadServiceTree(src);
      deepStrictEqual(tree.failed.get('web'), [{ service: 'web', path: join(src, 'web', c.file), message: c.message }]);
      ok(tree.services.has('good'), 'the other services still load');
    });
  }
});
