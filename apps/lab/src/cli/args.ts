// The command line of fortros-lab parsed into one Command (pure: no IO); LabUsageError says what is wrong.
import { MAX_LAB_NODES, MAX_PORT } from '../constants.js';
import { LabUsageError } from '../errors.js';
import { checkLabName } from './state.js';

export const COMMANDS = ['up', 'status', 'exec', 'partition', 'heal', 'loss', 'kill', 'restart', 'console', 'down'] as const;
export type CommandName = (typeof COMMANDS)[number];

interface Globals {
  /** --name LAB: undefined means the default (up) or the only lab (the others). */
  name: string | undefined;
  /** --state-dir DIR: the base directory of every lab's state. */
  stateDir: string | undefined;
}

export type Command = Globals &
  (
    | { cmd: 'help'; topic: CommandName | undefined }
    | { cmd: 'up'; nodes: number }
    | { cmd: 'status'; json: boolean }
    | { cmd: 'exec'; node: string; argv: string[] }
    | { cmd: 'partition'; groups: string[][] }
    | { cmd: 'heal' }
    | { cmd: 'loss'; percent: number; nodes: string[] }
    | { cmd: 'kill'; node: string }
    | { cmd: 'restart'; node: string }
    /** port: undefined means the first free one from HOST_CONSOLE_PORT on. */
    | { cmd: 'console'; node: string; port: number | undefined }
    | { cmd: 'down' }
  );

const isCommand = (s: string): s is CommandName => (COMMANDS as readonly string[]).includes(s);

function count(s: string | undefined, what: string, min: number, max: number): number {
  const n = s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= min && n <= max)) throw new LabUsageError(`${what}: expected an integer ${min}-${max}, got ${JSON.stringify(s ?? '')}`);
  return n;
}

function one(cmd: string, rest: string[], what: string): string {
  if (rest.length !== 1) throw new LabUsageError(`${cmd}: expected one ${what}, got ${rest.length === 0 ? 'none' : rest.join(' ')}`);
  return rest[0]!;
}

function none(cmd: string, rest: string[]): void {
  if (rest.length > 0) throw new LabUsageError(`${cmd}: unexpected argument ${JSON.stringify(rest[0])}`);
}

/** Parse argv (without node and the script). Flags may come anywhere before `--`; after it everything is exec's. */
export function parseArgs(argv: readonly string[]): Command {
  const globals: Globals = { name: undefined, stateDir: undefined };
  let json = false;
  let port: string | undefined;
  let help = false;
  const words: string[] = [];
  let tail: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      tail = argv.slice(i + 1);
      break;
    }
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new LabUsageError(`${flag}: expected a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--json') json = true;
    else if (flag === '--name' || flag === '-n') globals.name = checkLabName(value());
    else if (flag === '--state-dir') globals.stateDir = value();
    else if (flag === '--port') port = value();
    else if (a.startsWith('-') && a !== '-' && !/^-?\d/.test(a)) throw new LabUsageError(`unknown flag ${a}`);
    else words.push(a);
  }
  const [word, ...rest] = words;
  if (word === undefined || word === 'help') return { ...globals, cmd: 'help', topic: rest[0] !== undefined && isCommand(rest[0]) ? rest[0] : undefined };
  if (!isCommand(word)) throw new LabUsageError(`unknown command ${JSON.stringify(word)} (commands: ${COMMANDS.join(', ')})`);
  if (help) return { ...globals, cmd: 'help', topic: word };
  if (json && word !== 'status') throw new LabUsageError(`${word}: --json is a flag of status only`);
  if (port !== undefined && word !== 'console') throw new LabUsageError(`${word}: --port is a flag of console only`);
  if (tail !== undefined && word !== 'exec') throw new LabUsageError(`${word}: unexpected \`--\` (only exec takes a command)`);
  switch (word) {
    case 'up':
      return { ...globals, cmd: 'up', nodes: count(one('up', rest, 'node count N'), 'up N', 1, MAX_LAB_NODES) };
    case 'status':
      none(word, rest);
      return { ...globals, cmd: 'status', json };
    case 'exec': {
      const node = one('exec', rest, 'node (then `-- CMD…`)');
      if (tail === undefined || tail.length === 0) throw new LabUsageError('exec: expected `-- CMD…` after the node');
      return { ...globals, cmd: 'exec', node, argv: tail };
    }
    case 'partition': {
      if (rest.length < 2) throw new LabUsageError('partition: expected at least two groups, e.g. `partition node1,node2 node3`');
      const groups = rest.map((g) => g.split(',').filter((x) => x !== ''));
      const all = groups.flat();
      const twice = all.find((n, i) => all.indexOf(n) !== i);
      if (twice !== undefined) throw new LabUsageError(`partition: node ${twice} is in two groups`);
      if (groups.some((g) => g.length === 0)) throw new LabUsageError('partition: an empty group');
      return { ...globals, cmd: 'partition', groups };
    }
    case 'heal':
    case 'down':
      none(word, rest);
      return { ...globals, cmd: word };
    case 'loss': {
      if (rest.length === 0) throw new LabUsageError('loss: expected PERCENT (0-100) and optionally nodes');
      return { ...globals, cmd: 'loss', percent: count(rest[0], 'loss PERCENT', 0, 100), nodes: rest.slice(1) };
    }
    case 'kill':
    case 'restart':
      return { ...globals, cmd: word, node: one(word, rest, 'node') };
    case 'console':
      return { ...globals, cmd: 'console', node: one(word, rest, 'node'), port: port === undefined ? undefined : count(port, 'console --port', 1, MAX_PORT) };
  }
}
