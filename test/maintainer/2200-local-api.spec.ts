// The local API on real processes: workload CRUD with validation naming the field, watches, observed status, GetOrg.
import assert from 'node:assert/strict';
import { RpcCallError, StatusCode, serverStream, unary } from '@fortros/rpc';
import { Cluster, cleanupAfterEach, workload } from '../harness/maintainer.js';
import { waitUntil } from '../harness/wait.js';

describe('maintainer: local API', function () {
  this.timeout(180_000);
  cleanupAfterEach();

  it('validates specs (INVALID_ARGUMENT naming the field), stores them normalised, and deletes them everywhere', async () => {
    const cluster = await Cluster.create();
    const [a, b, c] = await cluster.startNodes(3);

    const bad = await unary(a!.api(), 'PutWorkload', { specJson: JSON.stringify({ ...workload('web'), placement: { selector: {}, replicas: 0 } }) }).catch((e: unknown) => e);
    assert.ok(bad instanceof RpcCallError);
    assert.equal(bad.code, StatusCode.INVALID_ARGUMENT);
    assert.match(bad.details, /placement\.replicas/);
    const notJson = await unary(a!.api(), 'PutWorkload', { specJson: '{"id":' }).catch((e: unknown) => e);
    assert.equal((notJson as RpcCallError).code, StatusCode.INVALID_ARGUMENT);
    assert.match((notJson as RpcCallError).details, /spec_json/);

    const put = await a!.putWorkload({ id: 'web', driver: 'process', command: '/usr/bin/python3', args: ['-m', 'http.server'], placement: { nodes: ['n1'] } });
    assert.deepEqual(JSON.parse(put.specJson), { id: 'web', driver: 'process', command: '/usr/bin/python3', args: ['-m', 'http.server'], env: {}, restart: 'always', placement: { nodes: ['n1'] }, keys: [] });

    // every node holds it before b deletes it (a push skips a peer it suspects; anti-entropy catches up later)
    await waitUntil(async () => {
      for (const n of [a!, b!, c!]) if (!(await n.workloadIds()).includes('web')) return false;
      return true;
    }, { timeoutMs: 60_000, intervalMs: 100, what: 'the spec on n0, n1 and n2' });
    const got = await unary(c!.api(), 'GetWorkload', { id: 'web' });
    assert.equal(got.specJson, put.specJson);

    const missing = await unary(b!.api(), 'GetWorkload', { id: 'nope' }).catch((e: unknown) => e);
    assert.equal((missing as RpcCallError).code, StatusCode.NOT_FOUND);

    await unary(b!.api(), 'DeleteWorkload', { id: 'web' });
    await waitUntil(async () => !(await a!.workloadIds()).includes('web') && !(await c!.workloadIds()).includes('web'), { timeoutMs: 30_000, what: 'the delete everywhere' });
    const again = await unary(b!.api(), 'DeleteWorkload', { id: 'web' }).catch((e: unknown) => e);
    assert.equal((again as RpcCallError).code, StatusCode.NOT_FOUND);
  });

  it('streams workload and member changes, and keeps observed status per node', async () => {
    const cluster = await Cluster.create();
    const [a, b] = await cluster.startNodes(2);
    const abort = new AbortController();
    const events: { type: string; id: string; local: boolean }[] = [];
    const watching = (async () => {
      for await (const e of serverStream(a!.api(), 'WatchWorkloads', { includeCurrent: true }, { signal: abort.signal })) events.push({ type: e.type, id: e.id, local: e.local });
    })().catch(() => undefined);
    await waitUntil(() => events.some((e) => e.type === 'TYPE_SYNCED'), { what: 'the initial snapshot' });
    await b!.putWorkload(workload('remote'));
    await waitUntil(() => events.find((e) => e.type === 'TYPE_ADDED' && e.id === 'remote' && !e.local), { timeoutMs: 30_000, what: 'the remote add on the watch' });

    const memberEvents: string[] = [];
    const watchingMembers = (async () => {
      for await (const e of serverStream(a!.api(), 'WatchMembers', { includeCurrent: true }, { signal: abort.signal })) memberEvents.push(`${e.type}:${e.member?.name ?? ''}`);
    })().catch(() => undefined);
    await waitUntil(() => memberEvents.includes('TYPE_SYNCED:'), { what: 'the member snapshot' });
    assert.ok(memberEvents.includes('TYPE_CURRENT:n1'));
    const c = cluster.add();
    await c.start();
    await waitUntil(() => memberEvents.includes('TYPE_JOIN:n2'), { timeoutMs: 30_000, what: 'n2 joining on the member watch' });

    const bId = (await b!.node()).id;
    const reported = await unary(b!.api(), 'ReportObserved', { statusJson: JSON.stringify({ workload: 'remote', phase: 'running', pid: 1234, since: new Date().toISOString() }) });
    assert.equal(JSON.parse(reported.json).node, bId);
    const foreign = await unary(b!.api(), 'ReportObserved', { statusJson: JSON.stringify({ node: 'someone-else', workload: 'remote', phase: 'running', since: new Date().toISOString() }) }).catch((e: unknown) => e);
    assert.equal((foreign as RpcCallError).code, StatusCode.INVALID_ARGUMENT);
    await waitUntil(async () => (await unary(a!.api(), 'ListObserved', { node: bId, workload: '' })).statuses.length === 1, { timeoutMs: 30_000, what: 'the observed status on n0' });
    const org = JSON.parse(await c.orgJson());
    assert.deepEqual(Object.keys(org).sort(), ['members', 'observed', 'settings', 'workloads']);
    abort.abort();
    await Promise.all([watching, watchingMembers]);
  });
});
