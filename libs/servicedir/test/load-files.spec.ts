// Every setting file, valid and invalid: the parsed value, or a problem naming the exact file and what was found.
import { SIGNAL_RULE_TEXT } from '@fortros/core';
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { join } from 'node:path';
import { loadServiceTree, type ServiceDefinition } from '../src/index.js';
import { DIR, cleanup, exec, link, longrun, makeTree, oneshot, type ServiceSpec } from './fixture.js';

after(cleanup);

interface ValidCase {
  title: string;
  spec: ServiceSpec;
  expect: (def: ServiceDefinition, dir: string) => Partial<ServiceDefinition>;
}

const VALID: ValidCase[] = [
  {
    title: 'a minimal longrun gets every default',
    spec: longrun(),
    expect: (_d, dir) => ({
      type: 'longrun', run: join(dir, 'run'), dependencies: [], contents: [], timeoutUpMs: 0, timeoutDownMs: 0,
      timeoutKillMs: 5000, downSignal: 'SIGTERM', consumerFor: [], essential: false, env: {}, restartDelayMaxMs: 30000,
    }),
  },
  { title: 'finish (executable)', spec: longrun({ finish: exec() }), expect: (_d, dir) => ({ finish: join(dir, 'finish') }) },
  { title: 'run through a symlink to an executable', spec: longrun({ run: link('/bin/sh') }), expect: (_d, dir) => ({ run: join(dir, 'run') }) },
  { title: 'notification-fd 3', spec: longrun({ 'notification-fd': '3\n' }), expect: () => ({ notificationFd: 3 }) },
  { title: 'notification-fd 1023 (the bound)', spec: longrun({ 'notification-fd': '1023' }), expect: () => ({ notificationFd: 1023 }) },
  { title: 'timeout-up / timeout-down', spec: longrun({ 'timeout-up': '1500\n', 'timeout-down': '0\n' }), expect: () => ({ timeoutUpMs: 1500, timeoutDownMs: 0 }) },
  { title: 'timeout-kill 0 means never', spec: longrun({ 'timeout-kill': '0\n' }), expect: () => ({ timeoutKillMs: 0 }) },
  { title: 'down-signal SIGINT', spec: longrun({ 'down-signal': 'SIGINT\n' }), expect: () => ({ downSignal: 'SIGINT' }) },
  { title: 'down-signal HUP (no SIG prefix)', spec: longrun({ 'down-signal': 'HUP' }), expect: () => ({ downSignal: 'SIGHUP' }) },
  { title: 'down-signal by number', spec: longrun({ 'down-signal': '9\n' }), expect: () => ({ downSignal: 'SIGKILL' }) },
  { title: 'restart-delay-max', spec: longrun({ 'restart-delay-max': '60000\n' }), expect: () => ({ restartDelayMaxMs: 60000 }) },
  { title: 'flag-essential (presence)', spec: longrun({ 'flag-essential': '' }), expect: () => ({ essential: true }) },
  {
    title: 'env files: first line, trailing blanks cut, empty = unset, dotfiles and NAME=… ignored',
    spec: longrun({ 'env/A': 'one\ntwo\n', 'env/B': 'spaced  \t\n', 'env/C': '', 'env/.hidden': 'x', 'env/D=E': 'x', 'env/F': 'a\0b' }),
    expect: () => ({ env: { A: 'one', B: 'spaced', F: 'a\nb' }, envUnset: ['C'] }),
  },
  {
    title: 'dependencies file: one per line, comments and blank lines ignored',
    spec: longrun({ dependencies: '# the db first\n\n  db  \nlog\n' }),
    expect: () => ({ dependencies: ['db', 'log'] }),
  },
  { title: 'dependencies.d entries', spec: longrun({ 'dependencies.d/db': '', 'dependencies.d/log': '', 'dependencies.d/.keep': '' }), expect: () => ({ dependencies: ['db', 'log'] }) },
  { title: 'dependencies file and dependencies.d together (union)', spec: longrun({ dependencies: 'db\n', 'dependencies.d/db': '', 'dependencies.d/log': '' }), expect: () => ({ dependencies: ['db', 'log'] }) },
  { title: 'unknown files are ignored', spec: longrun({ 'max-death-tally': '3', data: DIR, 'lock-fd': '9', README: 'hello' }), expect: () => ({ type: 'longrun' }) },
  { title: 'oneshot up text is read by execline (s6-rc)', spec: oneshot({ up: 'mkdir -p /run/x\n' }), expect: (_d, dir) => ({ up: { kind: 'execline', path: join(dir, 'up'), script: 'mkdir -p /run/x\n' } }) },
  { title: 'oneshot executable up/down scripts with #! are exec’d', spec: oneshot({ up: exec(), down: exec() }), expect: (_d, dir) => ({ up: { kind: 'exec', path: join(dir, 'up') }, down: { kind: 'exec', path: join(dir, 'down') } }) },
  {
    title: 'oneshot executable up without #! is still execline text (s6-rc never executes it)',
    spec: oneshot({ up: exec('foreground { true }\n') }),
    expect: (_d, dir) => ({ up: { kind: 'execline', path: join(dir, 'up'), script: 'foreground { true }\n' } }),
  },
  {
    title: 'run and finish without the execute bit run through their #! line (s6-rc-compile makes them 0755)',
    spec: longrun({ run: '#!/bin/sh\nexec sleep 1\n', finish: '#!  /usr/bin/env   sh -e \nexit 0\n' }),
    expect: (_d, dir) => ({ run: join(dir, 'run'), runInterpreter: ['/bin/sh'], finish: join(dir, 'finish'), finishInterpreter: ['/usr/bin/env', 'sh -e'] }),
  },
  { title: 'an executable run has no interpreter', spec: longrun(), expect: (def) => ({ runInterpreter: undefined, run: def.run }) },
  { title: 'oneshot without down', spec: oneshot(), expect: (def) => ({ down: def.down }) },
  { title: 'bundle contents and contents.d', spec: { type: 'bundle\n', contents: 'db\n', 'contents.d/log': '' }, expect: () => ({ type: 'bundle', contents: ['db', 'log'] }) },
];

describe('loadServiceTree: valid files', () => {
  for (const c of VALID) {
    it(c.title, async () => {
      const needed = { db: longrun(), log: longrun() };
      const src = await makeTree({ ...needed, svc: c.spec });
      const tree = await loadServiceTree(src);
      deepStrictEqual([...tree.failed.values()].flat(), []);
      const def = tree.services.get('svc')!;
      ok(def, 'svc loaded');
      const dir = join(src, 'svc');
      strictEqual(def.dir, dir);
      for (const [k, v] of Object.entries(c.expect(def, dir))) deepStrictEqual(def[k as keyof ServiceDefinition], v, k);
    });
  }
  it('a oneshot without down has no `down` key at all', async () => {
    const tree = await loadServiceTree(await makeTree({ s: oneshot() }));
    ok(!('down' in tree.services.get('s')!));
  });
});

interface InvalidCase {
  title: string;
  spec: ServiceSpec;
  /** The file at fault, relative to the service directory ('' = the directory itself). */
  file: string;
  message: string;
}

const INVALID: InvalidCase[] = [
  { title: 'missing type', spec: { run: exec() }, file: 'type', message: 'expected a file containing longrun, oneshot or bundle, got no such file' },
  { title: 'bad type', spec: { type: 'daemon\n', run: exec() }, file: 'type', message: 'expected longrun, oneshot or bundle, got "daemon"' },
  { title: 'type is a directory', spec: { type: DIR }, file: 'type', message: 'expected a regular file, got a directory' },
  { title: 'missing run', spec: { type: 'longrun' }, file: 'run', message: 'expected an executable file, got no such file' },
  {
    title: 'non-executable run without #!', spec: longrun({ run: 'echo hi\n' }), file: 'run',
    message: 'expected an executable file, or one with a first line "#!INTERPRETER [ARG]", got a file with mode 0644 and no #! line',
  },
  {
    title: 'non-executable run with an empty #!', spec: longrun({ run: '#!  \necho hi\n' }), file: 'run',
    message: 'expected an executable file, or one with a first line "#!INTERPRETER [ARG]", got a file with mode 0644 and a #! line naming no interpreter',
  },
  { title: 'run is a directory', spec: longrun({ run: DIR }), file: 'run', message: 'expected an executable file, got a directory' },
  { title: 'run is a dangling symlink', spec: longrun({ run: link('/nonexistent/run') }), file: 'run', message: 'expected an executable file, got a symlink to nothing' },
  {
    title: 'non-executable finish without #!', spec: longrun({ finish: 'x' }), file: 'finish',
    message: 'expected an executable file, or one with a first line "#!INTERPRETER [ARG]", got a file with mode 0644 and no #! line',
  },
  { title: 'non-numeric notification-fd', spec: longrun({ 'notification-fd': 'abc\n' }), file: 'notification-fd', message: 'expected a non-negative integer fd (not 0-2), got "abc"' },
  { title: 'notification-fd 1 (stdout)', spec: longrun({ 'notification-fd': '1' }), file: 'notification-fd', message: 'expected a non-negative integer fd (not 0-2), got "1"' },
  { title: 'negative notification-fd', spec: longrun({ 'notification-fd': '-4' }), file: 'notification-fd', message: 'expected a non-negative integer fd (not 0-2), got "-4"' },
  { title: 'notification-fd too large', spec: longrun({ 'notification-fd': '5000' }), file: 'notification-fd', message: 'expected a non-negative integer fd (not 0-2) of at most 1023, got "5000"' },
  { title: 'timeout-up not a number', spec: longrun({ 'timeout-up': '5s' }), file: 'timeout-up', message: 'expected a non-negative integer of milliseconds (at most 2147483647), got "5s"' },
  { title: 'timeout-down negative', spec: longrun({ 'timeout-down': '-1' }), file: 'timeout-down', message: 'expected a non-negative integer of milliseconds (at most 2147483647), got "-1"' },
  { title: 'timeout-kill fractional', spec: longrun({ 'timeout-kill': '1.5' }), file: 'timeout-kill', message: 'expected a non-negative integer of milliseconds (at most 2147483647), got "1.5"' },
  { title: 'timeout-up too large', spec: longrun({ 'timeout-up': '99999999999' }), file: 'timeout-up', message: 'expected a non-negative integer of milliseconds (at most 2147483647), got "99999999999"' },
  { title: 'restart-delay-max empty', spec: longrun({ 'restart-delay-max': '' }), file: 'restart-delay-max', message: 'expected a non-negative integer of milliseconds (at most 2147483647), got ""' },
  { title: 'unknown down-signal', spec: longrun({ 'down-signal': 'SIGFOO' }), file: 'down-signal', message: `expected ${SIGNAL_RULE_TEXT}, got "SIGFOO"` },
  { title: 'down-signal 0', spec: longrun({ 'down-signal': '0' }), file: 'down-signal', message: `expected ${SIGNAL_RULE_TEXT}, got "0"` },
  { title: 'bad name in dependencies', spec: longrun({ dependencies: 'good\nbad name\n' }), file: 'dependencies', message: 'expected one service name per line matching [A-Za-z0-9][A-Za-z0-9._@-]*, got "bad name"' },
  { title: 'bad name in dependencies.d', spec: longrun({ 'dependencies.d/-x': '' }), file: 'dependencies.d/-x', message: 'expected a file named after a service ([A-Za-z0-9][A-Za-z0-9._@-]*), got "-x"' },
  { title: 'dependencies.d is a file', spec: longrun({ 'dependencies.d': 'db' }), file: 'dependencies.d', message: 'expected a directory, got a file with mode 0644' },
  { title: 'env is a file', spec: longrun({ env: 'A=1' }), file: 'env', message: 'expected a directory, got a file with mode 0644' },
  { title: 'env entry is a directory', spec: longrun({ 'env/SUB': DIR }), file: 'env/SUB', message: 'expected a regular file, got a directory' },
  { title: 'producer-for with two names', spec: longrun({ 'producer-for': 'a b' }), file: 'producer-for', message: 'expected a service name matching [A-Za-z0-9][A-Za-z0-9._@-]*, got "a b"' },
  { title: 'oneshot up is a directory', spec: oneshot({ up: DIR }), file: 'up', message: 'expected a regular file, got a directory' },
  { title: 'bundle contents with a bad name', spec: { type: 'bundle', contents: 'ok\n/etc\n' }, file: 'contents', message: 'expected one service name per line matching [A-Za-z0-9][A-Za-z0-9._@-]*, got "/etc"' },
];

describe('loadServiceTree: invalid files name the exact file', () => {
  for (const c of INVALID) {
    it(c.title, async () => {
      const src = await makeTree({ web: c.spec, good: longrun(), ok: longrun() });
      const tree = await loadServiceTree(src);
      const path = c.file === '' ? join(src, 'web') : join(src, 'web', c.file);
      deepStrictEqual(tree.failed.get('web'), [{ service: 'web', path, message: c.message }]);
      ok(!tree.services.has('web'));
      ok(tree.services.has('good'), 'the other services still load');
      deepStrictEqual(tree.problems, []);
    });
  }

  it('lists every problem of one service, not just the first', async () => {
    const src = await makeTree({ web: longrun({ run: 'x', 'notification-fd': '0', 'timeout-up': 'soon' }) });
    const tree = await loadServiceTree(src);
    deepStrictEqual(tree.failed.get('web')!.map((p) => p.path).sort(), ['notification-fd', 'run', 'timeout-up'].map((f) => join(src, 'web', f)));
  });

  it('an oversized setting file is refused with its size', async () => {
    const src = await makeTree({ web: longrun({ 'env/BIG': 'x'.repeat(70_000) }) });
    const [p] = (await loadServiceTree(src)).failed.get('web')!;
    deepStrictEqual(p, { service: 'web', path: join(src, 'web', 'env', 'BIG'), message: 'expected a file of at most 65536 bytes, got 70000 bytes' });
  });
});
