// formatCheckReport: the resolved graph, every problem as `path: message`, and a summary line.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { join } from 'node:path';
import { formatCheckReport, loadServiceTree } from '../src/index.js';
import { bundle, cleanup, exec, longrun, makeTree, oneshot } from './fixture.js';

after(cleanup);

describe('formatCheckReport', () => {
  it('a clean tree: each service with its type, dependencies and notable settings; ok', async () => {
    const src = await makeTree({
      mount: oneshot({ down: exec() }),
      daemon: longrun({ dependencies: 'mount\n', 'notification-fd': '3', 'env/SECRET': 'hunter2', 'timeout-kill': '0', finish: exec() }),
      default: bundle(['daemon']),
    });
    const { text, ok: good } = formatCheckReport(await loadServiceTree(src));
    strictEqual(good, true);
    const lines = text.split('\n');
    deepStrictEqual(lines.slice(0, 6), [
      `service tree: ${src}`,
      '',
      'services (3, in start order):',
      '  mount    oneshot  up: execlineb -P; down: exec',
      '  daemon   longrun  needs: mount; finish; notification-fd 3; timeout-kill 0ms; env: SECRET',
      '  default  bundle   contents: daemon',
    ]);
    ok(!text.includes('hunter2'), 'env values are never printed');
    strictEqual(lines.at(-2), 'ok: 3 services, no problems');
  });

  it('a tree with problems: lists failed services and every problem as path: message; not ok', async () => {
    const src = await makeTree({ web: longrun({ 'notification-fd': 'abc' }), app: longrun({ dependencies: 'web\n' }), fine: longrun() });
    const { text, ok: good } = formatCheckReport(await loadServiceTree(src));
    strictEqual(good, false);
    ok(text.includes(`${join(src, 'web', 'notification-fd')}: expected a non-negative integer fd (not 0-2), got "abc"\n`), text);
    ok(text.includes(`${join(src, 'app', 'dependencies')}: depends on "web", which failed to load\n`), text);
    ok(text.includes('failed (2):\n  app   1 problem\n  web   1 problem\n'), text);
    ok(text.endsWith('FAILED: 1 service ok, 2 failed, 2 problems\n'), text);
  });
});
