// parseDump: the interface line (private key dropped), peer lines, "(none)" and "off", and malformed input named by line.
import { strict as assert } from 'node:assert';
import { DumpParseError, generateKeyPair, parseDump } from '../src/index.js';

const self = generateKeyPair();
const a = generateKeyPair().publicKey;
const b = generateKeyPair().publicKey;

describe('parseDump', () => {
  it('parses the interface and its peers and never keeps the private key', () => {
    const text = [
      `${self.privateKey}\t${self.publicKey}\t51820\toff`,
      `${a}\t(none)\t192.168.1.2:51820\t10.42.0.2/32,10.43.0.0/16\t1700000000\t1234\t5678\t25`,
      `${b}\t(none)\t(none)\t(none)\t0\t0\t0\toff`,
      '',
    ].join('\n');
    const s = parseDump('wg0', text);
    assert.deepEqual(s, {
      publicKey: self.publicKey,
      listenPort: 51820,
      fwmark: 0,
      peers: [
        { publicKey: a, hasPresharedKey: false, endpoint: '192.168.1.2:51820', allowedIps: ['10.42.0.2/32', '10.43.0.0/16'], latestHandshakeS: 1700000000, rxBytes: 1234, txBytes: 5678, persistentKeepaliveS: 25 },
        { publicKey: b, hasPresharedKey: false, endpoint: undefined, allowedIps: [], latestHandshakeS: 0, rxBytes: 0, txBytes: 0, persistentKeepaliveS: 0 },
      ],
    });
    assert.ok(!JSON.stringify(s).includes(self.privateKey));
  });

  it('reads an interface without keys', () => {
    assert.deepEqual(parseDump('wg0', '(none)\t(none)\t39676\toff\n'), { publicKey: undefined, listenPort: 39676, fwmark: 0, peers: [] });
  });

  const bad: [string, string, RegExp][] = [
    ['empty', '', /line 1: empty output/],
    ['short interface line', '(none)\t(none)\t1\n', /line 1: expected 4 fields/],
    ['bad port', '(none)\t(none)\tx\toff\n', /line 1: listen port/],
    ['short peer line', `(none)\t(none)\t1\toff\n${a}\t(none)\n`, /line 2: expected 8 fields/],
    ['bad peer key', `(none)\t(none)\t1\toff\nzz\t(none)\t(none)\t(none)\t0\t0\t0\toff\n`, /line 2: peer public key/],
    ['bad counter', `(none)\t(none)\t1\toff\n${a}\t(none)\t(none)\t(none)\t0\t-1\t0\toff\n`, /line 2: rx bytes/],
  ];
  for (const [what, text, re] of bad) {
    it(`refuses ${what}, naming the interface and line`, () => {
      assert.throws(() => parseDump('wg7', text), (e: unknown) => e instanceof DumpParseError && /^wg7: /.test(e.message) && re.test(e.message));
    });
  }
});
