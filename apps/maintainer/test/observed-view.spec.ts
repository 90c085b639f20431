// ListObserved's view: a dead, departed or unknown node's running and pending entries are shown unknown with a reason
// naming the node and its state; live and suspect nodes' entries, this node's, and final outcomes stay as reported.
import assert from 'node:assert/strict';
import { observedAsListed } from '../src/api/observed-view.js';
import type { MemberView } from '../src/membership/member-view.js';
import type { ObservedStatus } from '../src/org/org-records.js';

const member = (id: string, state: MemberView['state']): MemberView => ({ id, name: `name-${id}`, state, incarnation: 1, address: '', overlayIp: '', publicKey: '', labels: {} });
const status = (node: string, phase: ObservedStatus['phase'], pid: number | null = 42): ObservedStatus => ({
  node, workload: 'web', phase, pid, restarts: 0, since: '2026-12-06T15:00:00.000Z', lastExit: null, reason: null, conditions: [],
});

describe('observed statuses as listed', () => {
  const members = new Map(['a', 'b', 'c', 'd'].map((id, i) => [id, member(id, (['alive', 'suspect', 'dead', 'left'] as const)[i]!)]));

  for (const [node, phase] of [['a', 'running'], ['b', 'running'], ['c', 'succeeded'], ['d', 'failed'], ['self', 'running']] as const) {
    it(`keeps ${phase} of a node that is ${members.get(node)?.state ?? 'this one'}`, () => {
      const s = status(node, phase);
      assert.deepEqual(observedAsListed(s, members, 'self'), s);
    });
  }

  const cases: [string, ObservedStatus['phase'], RegExp][] = [
    ['c', 'running', /^node name-c \(c\) is dead; it last reported running as pid 42 since 2026-12-06T15:00:00.000Z$/],
    ['d', 'pending', /^node name-d \(d\) is left; it last reported pending since /],
    ['zz', 'running', /^node zz is not a member; it last reported running as pid 42 /],
  ];
  for (const [node, phase, reason] of cases) {
    it(`shows ${phase} of node ${node} as unknown, naming the node and its state`, () => {
      const got = observedAsListed(status(node, phase, phase === 'pending' ? null : 42), members, 'self');
      assert.equal(got.phase, 'unknown');
      assert.equal(got.pid, null);
      assert.match(got.reason ?? '', reason);
      assert.equal(got.since, '2026-12-06T15:00:00.000Z');
    });
  }
});
