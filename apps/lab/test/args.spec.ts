// fortros-lab's command line: every command parsed, flags anywhere before `--`, and usage errors that say what is wrong.
import { strict as assert } from 'node:assert';
import { parseArgs } from '../src/cli/args.js';
import { LabUsageError } from '../src/errors.js';

const G = { name: undefined, stateDir: undefined };

describe('parseArgs', () => {
  const ok: [string, string[], unknown][] = [
    ['no args is help', [], { ...G, cmd: 'help', topic: undefined }],
    ['--help of a command', ['up', '--help'], { ...G, cmd: 'help', topic: 'up' }],
    ['help TOPIC', ['help', 'exec'], { ...G, cmd: 'help', topic: 'exec' }],
    ['up N', ['up', '3'], { ...G, cmd: 'up', nodes: 3 }],
    ['up with --name before and --state-dir=', ['--name', 'demo', 'up', '5', '--state-dir=/tmp/x'], { name: 'demo', stateDir: '/tmp/x', cmd: 'up', nodes: 5 }],
    ['status --json', ['status', '--json'], { ...G, cmd: 'status', json: true }],
    ['exec keeps everything after --', ['exec', 'node3', '--', 'fortctl', 'services', '--json'], { ...G, cmd: 'exec', node: 'node3', argv: ['fortctl', 'services', '--json'] }],
    ['exec flags before --', ['exec', '2', '-n', 'ab', '--', 'sh', '-c', 'exit 3'], { ...G, name: 'ab', cmd: 'exec', node: '2', argv: ['sh', '-c', 'exit 3'] }],
    ['partition groups', ['partition', 'node1,node2', 'node3'], { ...G, cmd: 'partition', groups: [['node1', 'node2'], ['node3']] }],
    ['heal', ['heal'], { ...G, cmd: 'heal' }],
    ['loss everywhere', ['loss', '0'], { ...G, cmd: 'loss', percent: 0, nodes: [] }],
    ['loss on nodes', ['loss', '30', 'node1', '2'], { ...G, cmd: 'loss', percent: 30, nodes: ['node1', '2'] }],
    ['kill', ['kill', 'node2'], { ...G, cmd: 'kill', node: 'node2' }],
    ['restart', ['restart', '2'], { ...G, cmd: 'restart', node: '2' }],
    ['console on the default port', ['console', 'node1'], { ...G, cmd: 'console', node: 'node1', port: undefined }],
    ['console --port', ['console', '2', '--port', '9000'], { ...G, cmd: 'console', node: '2', port: 9000 }],
    ['down', ['down', '--name', 'lab1'], { ...G, name: 'lab1', cmd: 'down' }],
  ];
  for (const [what, argv, want] of ok) it(what, () => assert.deepEqual(parseArgs(argv), want));

  const bad: [string, string[], RegExp][] = [
    ['unknown command', ['boot'], /unknown command "boot"/],
    ['unknown flag', ['up', '3', '--fast'], /unknown flag --fast/],
    ['up without N', ['up'], /up: expected one node count N, got none/],
    ['up 0', ['up', '0'], /up N: expected an integer 1-32, got "0"/],
    ['up too many', ['up', '33'], /expected an integer 1-32/],
    ['up not a number', ['up', 'three'], /got "three"/],
    ['bad lab name', ['down', '--name', 'My-Lab'], /--name: expected 2-8 lowercase letters/],
    ['lab name too long', ['down', '--name', 'abcdefghi'], /--name/],
    ['--name without value', ['down', '--name'], /--name: expected a value/],
    ['exec without command', ['exec', 'node1'], /exec: expected `-- CMD…`/],
    ['exec with empty command', ['exec', 'node1', '--'], /exec: expected `-- CMD…`/],
    ['-- on another command', ['kill', 'node1', '--', 'x'], /kill: unexpected `--`/],
    ['--json on another command', ['down', '--json'], /--json is a flag of status only/],
    ['partition of one group', ['partition', 'node1,node2'], /at least two groups/],
    ['partition with a node twice', ['partition', 'node1,node2', 'node2'], /node node2 is in two groups/],
    ['partition with an empty group', ['partition', 'node1', ','], /an empty group/],
    ['loss over 100', ['loss', '101'], /loss PERCENT: expected an integer 0-100, got "101"/],
    ['heal with an argument', ['heal', 'now'], /heal: unexpected argument "now"/],
    ['console without a node', ['console', '--port=9000'], /console: expected one node, got none/],
    ['console --port out of range', ['console', 'node1', '--port', '70000'], /console --port: expected an integer 1-65535, got "70000"/],
    ['--port on another command', ['status', '--port', '9000'], /status: --port is a flag of console only/],
    ['kill of two nodes', ['kill', 'node1', 'node2'], /kill: expected one node, got node1 node2/],
  ];
  for (const [what, argv, msg] of bad) {
    it(`usage error: ${what}`, () => {
      assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof LabUsageError && msg.test(e.message));
    });
  }
});
