// A lab's state file: written atomically and read back, each bad field named with the file, nodes found by name or number.
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNode, labDir, listLabs, parseState, readState, stateBase, writeState, type LabState } from '../src/cli/state.js';
import { LabNotFoundError, NodeNotFoundError, StateFileError } from '../src/errors.js';

const node = (i: number) => ({ name: `node${i}`, index: i, netns: `lb1-n${i}`, address: `192.168.77.${i}`, interfaceName: `lb1w${i}`, root: `/s/lb1/nodes/node${i}`, log: `/s/lb1/nodes/node${i}.log`, pid: 100 + i });
const STATE: LabState = { version: 1, name: 'lb1', netns: 'lb1-lab', subnetOctet: 77, createdAt: '2026-12-06T15:00:00.000Z', nodes: [node(1), node(2)] };

describe('lab state', () => {
  let base: string;
  beforeEach(async () => (base = await mkdtemp(join(tmpdir(), 'lab-state-'))));
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('is written (0600, in a 0700 directory) and read back; the lab is listed', async () => {
    await writeState(labDir(base, 'lb1'), STATE);
    assert.deepEqual(await readState(base, 'lb1'), STATE);
    assert.equal((await stat(join(base, 'lb1', 'lab.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(base, 'lb1'))).mode & 0o777, 0o700);
    assert.deepEqual(listLabs(base), ['lb1']);
    assert.deepEqual(listLabs(join(base, 'missing')), []);
  });

  it('a missing lab is LabNotFoundError naming it', async () => {
    await assert.rejects(readState(base, 'lb9'), (e: unknown) => e instanceof LabNotFoundError && /no lab lb9/.test(e.message));
  });

  it('a broken file is StateFileError naming the file', async () => {
    await writeState(labDir(base, 'lb1'), STATE);
    await writeFile(join(base, 'lb1', 'lab.json'), '{"version":');
    await assert.rejects(readState(base, 'lb1'), (e: unknown) => e instanceof StateFileError && e.message.startsWith(join(base, 'lb1', 'lab.json')) && /not JSON/.test(e.message));
  });

  const bad: [string, (s: Record<string, unknown>) => void, RegExp][] = [
    ['a version from the future', (s) => (s.version = 2), /field version: expected 1, got 2/],
    ['a bad name', (s) => (s.name = 'Lab-1'), /field name: expected a lab name/],
    ['nodes not an array', (s) => (s.nodes = {}), /field nodes: expected an array/],
    ['a node without a root', (s) => delete (s.nodes as Record<string, unknown>[])[1]!.root, /field nodes\[1\]\.root: expected a directory, got undefined/],
    ['a negative pid', (s) => ((s.nodes as Record<string, unknown>[])[0]!.pid = -1), /field nodes\[0\]\.pid: expected a pid/],
    ['an octet over 255', (s) => (s.subnetOctet = 300), /field subnetOctet: expected an integer 0-255, got 300/],
  ];
  for (const [what, edit, msg] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const s = JSON.parse(JSON.stringify(STATE)) as Record<string, unknown>;
      edit(s);
      assert.throws(() => parseState(JSON.stringify(s), '/x/lab.json'), (e: unknown) => e instanceof StateFileError && e.message.startsWith('/x/lab.json: ') && msg.test(e.message));
    });
  }

  it('finds a node by name or number, and names the lab and its nodes when it has no such node', () => {
    assert.equal(findNode(STATE, 'node2').pid, 102);
    assert.equal(findNode(STATE, '1').name, 'node1');
    assert.throws(() => findNode(STATE, 'node7'), (e: unknown) => e instanceof NodeNotFoundError && e.message === 'lab lb1 has no node node7 (it has node1, node2)');
  });

  it('the base: --state-dir, else FORTROS_LAB_STATE_DIR, else /run/fortros-lab', () => {
    assert.equal(stateBase('/a', { FORTROS_LAB_STATE_DIR: '/b' }), '/a');
    assert.equal(stateBase(undefined, { FORTROS_LAB_STATE_DIR: '/b' }), '/b');
    assert.equal(stateBase(undefined, {}), '/run/fortros-lab');
  });

  it('the file on disk is indented JSON with every field', async () => {
    await writeState(labDir(base, 'lb1'), STATE);
    assert.deepEqual(JSON.parse(await readFile(join(base, 'lb1', 'lab.json'), 'utf8')), STATE);
  });
});
