// A lab's state directory: lab.json (what `up` made: namespaces, addresses, node roots, init pids), the node roots
// and init logs; read and checked field by field, written atomically, so a second shell drives the same lab.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PREFIX_PATTERN as LAB_NAME_PATTERN } from '@fortros/netlab';
import { DEFAULT_STATE_BASE, MAX_LAB_NODES, MAX_STATE_BYTES, NODES_DIR, STATE_DIR_ENV, STATE_FILE, STATE_VERSION } from '../constants.js';
import { LabNotFoundError, LabUsageError, NodeNotFoundError, StateFileError } from '../errors.js';

export interface NodeState {
  name: string;
  index: number;
  netns: string;
  /** Underlay address, no port. */
  address: string;
  interfaceName: string;
  /** FORTROS_ROOT of the node. */
  root: string;
  /** init's stdout and stderr. */
  log: string;
  /** The pid of its init as last started (0 before it started). */
  pid: number;
}

export interface LabState {
  version: number;
  name: string;
  /** The lab's bridge namespace. */
  netns: string;
  subnetOctet: number;
  createdAt: string;
  nodes: NodeState[];
}

/** The base directory holding one directory per lab: --state-dir, else FORTROS_LAB_STATE_DIR, else /run/fortros-lab. */
export function stateBase(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return flag ?? (env[STATE_DIR_ENV] || DEFAULT_STATE_BASE);
}

export const labDir = (base: string, name: string): string => join(base, name);
export const stateFile = (dir: string): string => join(dir, STATE_FILE);
export const nodeRoot = (dir: string, node: string): string => join(dir, NODES_DIR, node);
export const nodeLog = (dir: string, node: string): string => join(dir, NODES_DIR, `${node}.log`);

/** The labs with a state file under `base`, sorted. */
export function listLabs(base: string): string[] {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  return names.filter((n) => LAB_NAME_PATTERN.test(n) && existsSync(stateFile(labDir(base, n)))).sort();
}

export function checkLabName(name: string): string {
  if (!LAB_NAME_PATTERN.test(name)) throw new LabUsageError(`--name: expected 2-8 lowercase letters or digits starting with a letter (it prefixes the lab's namespaces and interfaces), got ${JSON.stringify(name)}`);
  return name;
}

function field<T>(file: string, obj: Record<string, unknown>, key: string, ok: (v: unknown) => boolean, what: string, at = ''): T {
  const v = obj[key];
  if (!ok(v)) throw new StateFileError(file, `field ${at}${key}: expected ${what}, got ${JSON.stringify(v)}`);
  return v as T;
}

const isStr = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse and check the text of a state file; StateFileError names the file and the field. */
export function parseState(text: string, file: string): LabState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(file, `not JSON (${(err as Error).message})`);
  }
  if (!isObj(raw)) throw new StateFileError(file, 'expected a JSON object');
  const version = field<number>(file, raw, 'version', (v) => v === STATE_VERSION, `${STATE_VERSION}`);
  const name = field<string>(file, raw, 'name', (v) => typeof v === 'string' && LAB_NAME_PATTERN.test(v), 'a lab name');
  const nodesRaw = field<unknown[]>(file, raw, 'nodes', (v) => Array.isArray(v) && v.length <= MAX_LAB_NODES, `an array of at most ${MAX_LAB_NODES} nodes`);
  const nodes = nodesRaw.map((n, i): NodeState => {
    const at = `nodes[${i}].`;
    if (!isObj(n)) throw new StateFileError(file, `field nodes[${i}]: expected an object`);
    return {
      name: field(file, n, 'name', isStr, 'a node name', at),
      index: field(file, n, 'index', isInt, 'an integer ≥ 0', at),
      netns: field(file, n, 'netns', isStr, 'a namespace name', at),
      address: field(file, n, 'address', isStr, 'an address', at),
      interfaceName: field(file, n, 'interfaceName', isStr, 'an interface name', at),
      root: field(file, n, 'root', isStr, 'a directory', at),
      log: field(file, n, 'log', isStr, 'a file', at),
      pid: field(file, n, 'pid', isInt, 'a pid (0: not started)', at),
    };
  });
  return {
    version,
    name,
    netns: field(file, raw, 'netns', isStr, 'a namespace name'),
    subnetOctet: field(file, raw, 'subnetOctet', (v) => isInt(v) && (v as number) <= 255, 'an integer 0-255'),
    createdAt: field(file, raw, 'createdAt', isStr, 'an ISO 8601 time'),
    nodes,
  };
}

export async function readState(base: string, name: string): Promise<LabState> {
  const file = stateFile(labDir(base, name));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LabNotFoundError(name, labDir(base, name));
    throw new StateFileError(file, (err as Error).message);
  }
  if (text.length > MAX_STATE_BYTES) throw new StateFileError(file, `larger than ${MAX_STATE_BYTES} bytes`);
  return parseState(text, file);
}

/** Write the state file atomically (a temporary file renamed over it), mode 0600. */
export async function writeState(dir: string, state: LabState): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${stateFile(dir)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, stateFile(dir));
}

/** `node3` or `3` → that node of the lab. */
export function findNode(state: LabState, ref: string): NodeState {
  const name = /^\d+$/.test(ref) ? `node${ref}` : ref;
  const node = state.nodes.find((n) => n.name === name);
  if (!node) throw new NodeNotFoundError(state.name, ref, state.nodes.map((n) => n.name));
  return node;
}
