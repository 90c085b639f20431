// The planner: placement by explicit nodes and by rendezvous hashing (with a seeded property test), and passes
// from (specs, members, observed runs, records, now) to actions.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { place, type PlacementMember } from '../src/plan/placement.js';
import { type Action, type ObservedRun, plan, type PlanInput, specHash } from '../src/plan/planner.js';
import { WorkloadState, type WorkloadRecord } from '../src/plan/lifecycle.js';
import type { ProcessWorkloadSpec, WorkloadSpec } from '../src/spec.js';

/** Seeded draws in [0, 1): SHA-256 of (seed, counter), so a failing case replays from its seed. */
function rng(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32;
}

const member = (id: string, labels: Record<string, string> = {}, state: PlacementMember['state'] = 'alive'): PlacementMember => ({ id, name: `name-${id}`, state, labels });
const spec = (id: string, extra: Partial<ProcessWorkloadSpec> = {}): WorkloadSpec => ({
  id, driver: 'process', command: '/bin/sleep', args: ['100'], env: {}, restart: 'always', keys: [], placement: { nodes: ['a'] }, ...extra,
});
const T = 5_000_000;
const input = (over: Partial<PlanInput>): PlanInput => ({
  self: { id: 'a', name: 'name-a' }, specs: [], members: [member('a'), member('b')], observed: new Map(), records: new Map(), now: T, ...over,
});
const kinds = (actions: Action[]): string[] => actions.filter((a) => a.type !== 'report').map((a) => (a.type === 'start' ? `start ${a.spec.id}` : a.type === 'restart-at' ? `restart-at ${a.at - T}` : `${a.type} ${a.id}`));

describe('placement', () => {
  it('explicit nodes match member ids or names; selector without a match gives the reason', () => {
    const members = [member('a', { zone: 'x' }), member('b', { zone: 'y' }), member('c', { zone: 'y' }, 'dead')];
    assert.deepEqual(place('w', { nodes: ['name-b', 'a'] }, members).nodes, ['a', 'b']);
    assert.deepEqual(place('w', { selector: { zone: 'y' }, replicas: 5 }, members).nodes, ['b']);
    const none = place('w', { selector: { zone: 'z' }, replicas: 1 }, members);
    assert.deepEqual(none.nodes, []);
    assert.equal(none.reason, 'no live node matches the selector {"zone":"z"}');
  });

  it('property: every node computes the same set; one node leaving moves at most the replicas it held', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * 40);
      const members = Array.from({ length: n }, (_, i) => member(`node-${seed}-${i}`, { tier: r() < 0.7 ? 'web' : 'db' }, r() < 0.15 ? 'suspect' : 'alive'));
      const placement = { selector: { tier: 'web' }, replicas: 1 + Math.floor(r() * 6) };
      const workload = `w${Math.floor(r() * 1e6)}`;
      // Every node sees the members in its own order: the answer must not depend on it.
      const views = Array.from({ length: 4 }, () => [...members].sort(() => r() - 0.5));
      const answers = views.map((v) => place(workload, placement, v).nodes);
      for (const a of answers) assert.deepEqual(a, answers[0], `seed ${seed}`);
      const leaving = members[Math.floor(r() * n)]!;
      const after = place(workload, placement, members.filter((m) => m !== leaving)).nodes;
      const moved = after.filter((id) => !answers[0]!.includes(id)).length;
      const held = answers[0]!.includes(leaving.id) ? 1 : 0;
      assert.ok(moved <= held, `seed ${seed}: ${moved} replicas moved, the leaving node held ${held}`);
      assert.equal(after.length, Math.min(placement.replicas, members.filter((m) => m !== leaving && m.labels.tier === 'web').length));
    }
  });

  it('spreads replicas: over many workloads each of 10 nodes gets a fair share', () => {
    const members = Array.from({ length: 10 }, (_, i) => member(`n${i}`));
    const counts = new Map<string, number>();
    for (let w = 0; w < 2000; w++) for (const id of place(`w${w}`, { selector: {}, replicas: 1 }, members).nodes) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, c] of counts) assert.ok(c > 120 && c < 280, `${id} got ${c} of 2000`);
  });
});

describe('planner: plan', () => {
  const running = (pid: number): ObservedRun => ({ state: 'running', pid, startedAt: T - 100 });
  const record = (id: string, over: Partial<WorkloadRecord>): WorkloadRecord => ({
    id, state: WorkloadState.Running, policy: 'always', specHash: specHash(spec(id)), restarts: 0, streak: 0, since: T - 100, pid: 10, runStartedAt: T - 100, restartAfterStop: false, ...over,
  });

  const cases: [string, Partial<PlanInput>, string[], Partial<Record<string, WorkloadState | undefined>>][] = [
    ['starts a workload placed here', { specs: [spec('w')] }, ['start w'], { w: WorkloadState.Starting }],
    ['ignores a workload placed elsewhere', { specs: [spec('w', { placement: { nodes: ['b'] } })] }, [], { w: undefined }],
    ['adopts a running run without starting it', { specs: [spec('w')], observed: new Map([['w', running(10)]]) }, [], { w: WorkloadState.Running }],
    [
      'learns an exit that happened while no reconciler ran, and restarts per policy',
      { specs: [spec('w')], observed: new Map<string, ObservedRun>([['w', { state: 'exited', pid: 10, exit: { code: 3, signal: null }, startedAt: T - 100, endedAt: T - 50 }]]) },
      ['start w'],
      { w: WorkloadState.Starting },
    ],
    ['stops an adopted run no spec wants', { observed: new Map([['w', running(10)]]) }, ['stop w'], { w: WorkloadState.Stopping }],
    [
      'forgets an ended run no spec wants',
      { observed: new Map<string, ObservedRun>([['w', { state: 'exited', pid: 10, exit: { code: 0, signal: null }, startedAt: T - 100, endedAt: T - 50 }]]) },
      ['remove w'],
      { w: undefined },
    ],
    ['forgets a failed start no spec wants', { observed: new Map<string, ObservedRun>([['w', { state: 'start-failed', error: 'x', at: T - 5 }]]) }, ['remove w'], { w: undefined }],
    [
      'a stopping run whose start failed meanwhile is forgotten',
      { records: new Map([['w', record('w', { state: WorkloadState.Stopping })]]), observed: new Map<string, ObservedRun>([['w', { state: 'start-failed', error: 'x', at: T - 5 }]]) },
      ['remove w'],
      { w: undefined },
    ],
    [
      'adopts a failed start of a previous reconciler as a failure, retried per backoff (the first at once)',
      { specs: [spec('w')], observed: new Map<string, ObservedRun>([['w', { state: 'start-failed', error: 'ENOENT', at: T - 5 }]]) },
      ['start w'],
      { w: WorkloadState.Starting },
    ],
    ['stops a run whose spec was deleted', { records: new Map([['w', record('w', {})]]), observed: new Map([['w', running(10)]]) }, ['stop w'], { w: WorkloadState.Stopping }],
    [
      'restarts a run whose spec changed',
      { specs: [spec('w', { args: ['200'] })], records: new Map([['w', record('w', {})]]), observed: new Map([['w', running(10)]]) },
      ['stop w'],
      { w: WorkloadState.Stopping },
    ],
    [
      'a placement change that keeps the workload here restarts nothing',
      { specs: [spec('w', { placement: { nodes: ['a', 'b'] } })], records: new Map([['w', record('w', {})]]), observed: new Map([['w', running(10)]]) },
      [],
      { w: WorkloadState.Running },
    ],
    [
      'a second fast crash backs off 1 s',
      { specs: [spec('w')], records: new Map([['w', record('w', { streak: 1 })]]), observed: new Map<string, ObservedRun>([['w', { state: 'exited', pid: 10, exit: { code: 1, signal: null }, startedAt: T - 100, endedAt: T }]]) },
      ['restart-at 1000'],
      { w: WorkloadState.Backoff },
    ],
    [
      'a due restart starts',
      { specs: [spec('w')], records: new Map([['w', record('w', { state: WorkloadState.Backoff, restartAt: T, pid: undefined })]]), observed: new Map<string, ObservedRun>([['w', { state: 'exited', pid: 10, exit: { code: 1, signal: null }, startedAt: T - 100, endedAt: T - 90 }]]) },
      ['start w'],
      { w: WorkloadState.Starting },
    ],
    [
      'a failed start is a reason and a retry',
      { specs: [spec('w')], records: new Map([['w', record('w', { state: WorkloadState.Starting, since: T - 10, streak: 1 })]]), observed: new Map<string, ObservedRun>([['w', { state: 'start-failed', error: 'ENOENT /bin/nope', at: T - 5 }]]) },
      ['restart-at 1000'],
      { w: WorkloadState.Backoff },
    ],
    [
      'a failed workload whose policy became on-failure starts again',
      { specs: [spec('w', { restart: 'on-failure' })], records: new Map([['w', record('w', { state: WorkloadState.Failed, policy: 'never', pid: undefined })]]) },
      ['start w'],
      { w: WorkloadState.Starting },
    ],
    [
      'a succeeded workload whose policy became on-failure stays succeeded',
      { specs: [spec('w', { restart: 'on-failure' })], records: new Map([['w', record('w', { state: WorkloadState.Succeeded, policy: 'never', pid: undefined })]]) },
      [],
      { w: WorkloadState.Succeeded },
    ],
    ['a stopped run is forgotten', { records: new Map([['w', record('w', { state: WorkloadState.Stopping })]]) }, ['remove w'], { w: undefined }],
    [
      'selector placement: this node runs it only when rendezvous hashing picks it',
      { specs: [spec('w', { placement: { selector: {}, replicas: 2 } })] },
      ['start w'],
      { w: WorkloadState.Starting },
    ],
  ];
  for (const [name, over, want, states] of cases) {
    it(name, () => {
      const out = plan(input(over));
      assert.deepEqual(kinds(out.actions), want);
      for (const [id, state] of Object.entries(states)) assert.equal(out.records.get(id)?.state, state, id);
    });
  }

  it('specHash: key order does not matter; placement, restart policy and keys do not restart; the command does', () => {
    const base = spec('w');
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as WorkloadSpec;
    assert.equal(specHash(reordered), specHash(base));
    assert.equal(specHash({ ...base, placement: { nodes: ['b'] }, restart: 'never', keys: ['tls'] }), specHash(base));
    assert.notEqual(specHash({ ...base, args: ['1'] } as WorkloadSpec), specHash(base));
  });

  it('reports status with the DESIGN §6 names, and the reason of a failed start', () => {
    const out = plan(input({ specs: [spec('w')], records: new Map([['w', record('w', { state: WorkloadState.Starting, since: T - 10 })]]), observed: new Map<string, ObservedRun>([['w', { state: 'start-failed', error: 'ENOENT', at: T }]]) }));
    const report = out.actions.find((a) => a.type === 'report');
    assert.deepEqual(report, {
      type: 'report',
      status: { workload: 'w', phase: 'pending', pid: null, restarts: 1, since: new Date(T - 10).toISOString(), lastExit: null, reason: 'driver failed: ENOENT' },
    });
  });
});
