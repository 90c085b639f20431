// fortctl workload put - : the spec read from standard input, against a real fortros-maintainer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { FORTCTL_MAIN, FORTCTL_TIMEOUT_MS, type FortctlResult } from '../harness/ctl.js';
import { Cluster, cleanupAfterEach, type MaintainerNode } from '../harness/maintainer.js';

/** `fortctl --socket <node's socket> ARGS...` with `input` on its standard input. */
function ctlWithInput(node: MaintainerNode, args: readonly string[], input: string): Promise<FortctlResult> {
  const child = spawn(process.execPath, [FORTCTL_MAIN, '--root', node.cluster.dir, '--socket', node.socket, ...args], {
    env: { ...process.env, FORTROS_ROOT: undefined },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fortctl ${args.join(' ')}: still running after ${FORTCTL_TIMEOUT_MS} ms`));
    }, FORTCTL_TIMEOUT_MS);
    child.once('error', (err) => (clearTimeout(timer), reject(err)));
    child.once('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr })));
  });
}

describe('fortctl: workload put - reads standard input', function () {
  this.timeout(120_000);
  cleanupAfterEach();

  it('stores the spec piped in and prints it normalised; a bad one exits 1 naming the field', async () => {
    const cluster = await Cluster.create();
    const [a] = await cluster.startNodes(1);
    const spec = { id: 'piped', driver: 'process', command: '/bin/sleep', args: ['100'], placement: { nodes: ['n0'] } };
    const r = await ctlWithInput(a!, ['workload', 'put', '-'], JSON.stringify(spec));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ...spec, env: {}, restart: 'always', keys: [] });
    const bad = await ctlWithInput(a!, ['workload', 'put', '-'], JSON.stringify({ ...spec, placement: { selector: {}, replicas: 0 } }));
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /^fortctl: workload put: .*placement/m);
  });
});
