// Join tokens on the mesh (issue 8): a malformed token, a wrong secret, an unknown token id, an expired token and a
// used-up token are each refused with a clear error and the node does not start; the issuer counts the refusals;
// no token's secret appears in any log of the issuer or the refused joiner.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { meshClusterSuite } from '../harness/mesh-cluster.js';
import { waitUntil } from '../harness/wait.js';

/** The token's fields: fortros-token-v1/ORG/HOST:PORT/ID/SECRET. */
function fields(token: string): { org: string; address: string; id: string; secret: string } {
  const [, org, address, id, secret] = token.split('/') as [string, string, string, string, string];
  return { org, address, id, secret };
}

describe('4500 join tokens on the mesh: refusals', function () {
  this.timeout(600_000);
  const slot = meshClusterSuite();

  it('a bad, an unknown, an expired and a used-up token are refused with a clear error; no secret is logged', async () => {
    const cluster = await slot.start();
    const [issuer] = await cluster.boot(1);
    const secrets: string[] = [];
    const refusedLogs: string[] = [];
    const refused = async (token: string, expect: RegExp, what: string): Promise<void> => {
      const r = await cluster.tryJoin(token);
      refusedLogs.push(r.stderr);
      assert.notEqual(r.code, 0, `${what}: the joiner must not start:\n${r.stderr}`);
      assert.match(r.stderr, expect, `${what}: the error says why`);
    };

    // malformed: refused before anything is sent, naming the field, not echoing the secret
    const good = await cluster.token(issuer!);
    secrets.push(fields(good).secret);
    await refused(good.replace(/\/[^/]+$/, '/short'), /join token: secret: expected 43 base64url characters/i, 'malformed');

    // a wrong secret: the issuer cannot prove it knows it, so the joiner sends nothing
    const f = fields(good);
    const wrong = `fortros-token-v1/${f.org}/${f.address}/${f.id}/${randomBytes(32).toString('base64url')}`;
    await refused(wrong, /the issuer failed to prove it knows the token's secret/, 'wrong secret');

    // an id the issuer never made
    await refused(`fortros-token-v1/${f.org}/${f.address}/${randomBytes(8).toString('hex')}/${randomBytes(32).toString('base64url')}`, /unknown token/i, 'unknown');

    // expired: a 1 s token used once its lifetime is over
    const short = await cluster.token(issuer!, ['--ttl', '1s']);
    secrets.push(fields(short).secret);
    const expiresAt = Date.now() + 1_000;
    await waitUntil(() => Date.now() > expiresAt + 200, { what: 'the token to expire', timeoutMs: 10_000 });
    await refused(short, /expired/, 'expired');

    // used up: the one use admits a node; the second node is refused
    const once = await cluster.token(issuer!, ['--uses', '1']);
    secrets.push(fields(once).secret);
    await cluster.addNode({ token: once });
    await refused(once, /used up/, 'used up');

    const info = await cluster.info(issuer!);
    assert.ok(info.stats.admissionRefused >= 3, `the issuer counted its refusals: ${JSON.stringify(info.stats)}`);
    assert.equal(info.stats.admissionAdmitted, 1);

    // no secret anywhere: the issuer's and the admitted node's logs, and every refused joiner's output
    const logs = [...(await Promise.all(cluster.nodes.map((n) => cluster.logs(n)))), ...refusedLogs].join('\n');
    assert.match(logs, /join refused/, 'the refusals are logged');
    for (const s of secrets) assert.ok(!logs.includes(s), 'a token secret appears in a log');
  });
});
