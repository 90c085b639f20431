// init.sock speaks to standard gRPC tools: grpc.health.v1 says SERVING, server reflection lists
// fortros.init.v1.Init, and the socket is private to its owner (mode 0600, DESIGN §5).
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { checkHealth, listServicesByReflection } from '@fortros/rpc';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';

const CALL_TIMEOUT_MS = 10_000;

describe('init: health, reflection and the socket', () => {
  cleanupAfterEach();

  it('reports SERVING, lists fortros.init.v1.Init by reflection, and keeps init.sock at mode 0600', async () => {
    const init = await InitProcess.start({ a: { type: 'longrun', run: 'exec sleep 1000' }, default: { type: 'bundle', contents: ['a'] } });
    const sock = init.path('run/fortros/init.sock');
    await init.waitForRecord((r) => r.msg === 'serving' && r.address === sock, { what: 'init serving on init.sock' });

    const st = await stat(sock);
    assert.ok(st.isSocket(), `${sock} is a socket`);
    assert.equal((st.mode & 0o777).toString(8), '600');

    assert.equal(await checkHealth(sock, '', CALL_TIMEOUT_MS), 'SERVING');
    assert.equal(await checkHealth(sock, 'fortros.init.v1.Init', CALL_TIMEOUT_MS), 'SERVING');
    const services = await listServicesByReflection(sock, CALL_TIMEOUT_MS);
    assert.ok(services.includes('fortros.init.v1.Init'), services.join(', '));
    assert.ok(services.includes('grpc.health.v1.Health'), services.join(', '));
  });

  it('removes init.sock when it shuts down', async () => {
    const init = await InitProcess.start({ a: { type: 'longrun', run: 'exec sleep 1000' }, default: { type: 'bundle', contents: ['a'] } });
    const sock = init.path('run/fortros/init.sock');
    await init.waitForRecord((r) => r.msg === 'serving' && r.address === sock);
    init.signal('SIGTERM');
    assert.equal((await init.waitForExit()).code, 0);
    await assert.rejects(stat(sock), { code: 'ENOENT' });
  });
});
