// Signal names: fortctl and init apply the one rule of @fortros/core, so what fortctl lets through init accepts, and
// what init refuses (a real-time signal such as RTMIN+3) fortctl refuses up front as a usage error.
import assert from 'node:assert/strict';
import { NODE_PATHS, SIGNAL_RULE_TEXT } from '@fortros/core';
import { InitV1 } from '@fortros/proto';
import { closeClient, createClient, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import { fortctl } from '../harness/ctl.js';
import { cleanupAfterEach, InitProcess } from '../harness/init.js';
import type { TreeSpec } from '../harness/tree.js';
import { readLines, waitForLines } from '../harness/wait.js';

const TREE: TreeSpec = {
  app: {
    type: 'longrun',
    run: [
      `trap 'echo usr1 >> "$FORTROS_ROOT/got"; kill $s 2>/dev/null' USR1`,
      `trap 'echo usr2 >> "$FORTROS_ROOT/got"; kill $s 2>/dev/null' USR2`,
      `trap 'kill $s 2>/dev/null; exit 0' TERM`,
      'echo "app up"',
      'while :; do sleep 1000 & s=$!; wait $s; done',
    ].join('\n'),
  },
  default: { type: 'bundle', contents: ['app'] },
};

describe('init: signal names (one rule for fortctl and init)', () => {
  cleanupAfterEach();

  it('delivers names in any case and numbers; refuses RTMIN+3 in fortctl (exit 2) and in init (INVALID_ARGUMENT)', async () => {
    const init = await InitProcess.start(TREE);
    assert.equal((await fortctl(init.root, ['wait', 'app', '--timeout', '20000'])).code, 0);
    assert.equal((await fortctl(init.root, ['signal', 'app', 'usr1'])).code, 0);
    await waitForLines(init.path('got'), 1);
    assert.equal((await fortctl(init.root, ['signal', 'app', '12'])).code, 0); // SIGUSR2's number on Linux
    assert.deepEqual(await waitForLines(init.path('got'), 2), ['usr1', 'usr2']);

    for (const sig of ['RTMIN+3', 'SIGRTMIN+3', '34']) {
      const r = await fortctl(init.root, ['signal', 'app', sig]);
      assert.equal(r.code, 2, `fortctl refuses ${sig} as a usage error: ${r.stderr}`);
      assert.ok(r.stderr.includes(SIGNAL_RULE_TEXT), r.stderr);
    }
    // init, asked directly (as another client might), refuses the same names with the same rule
    const client = createClient<InitV1.InitClient>(InitV1.loadInitApi(), init.path(NODE_PATHS.initSocket));
    try {
      for (const sig of ['SIGRTMIN+3', '34']) {
        const err = await unary(client, 'signalService', { name: 'app', signal: sig }).catch((e: unknown) => e);
        assert.ok(err instanceof RpcCallError, String(err));
        assert.equal(err.code, StatusCode.INVALID_ARGUMENT);
        assert.ok(err.details.includes(SIGNAL_RULE_TEXT), err.details);
      }
    } finally {
      closeClient(client);
    }
    assert.deepEqual(await readLines(init.path('got')), ['usr1', 'usr2'], 'nothing else delivered');
  });
});
