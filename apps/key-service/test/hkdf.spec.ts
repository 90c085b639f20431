// HKDF-SHA256 against RFC 5869 Appendix A, test cases 1–3: the PRK of Extract and the OKM of Expand.
import { strict as assert } from 'node:assert';
import { hkdfSync } from 'node:crypto';
import { hkdf, hkdfExpand, hkdfExtract } from '../src/crypto/hkdf.js';

const range = (from: number, to: number): Buffer => Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const cases = [
  {
    name: 'A.1 basic',
    ikm: Buffer.alloc(22, 0x0b),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
    prk: hex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5'),
    okm: hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'),
  },
  {
    name: 'A.2 longer inputs and outputs',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    prk: hex('06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244'),
    okm: hex(`b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
              59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
              cc30c58179ec3e87c14c01d5c1f3434f1d87`),
  },
  {
    name: 'A.3 zero-length salt and info',
    ikm: Buffer.alloc(22, 0x0b),
    salt: Buffer.alloc(0),
    info: Buffer.alloc(0),
    length: 42,
    prk: hex('19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04'),
    okm: hex('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'),
  },
];

describe('HKDF-SHA256 (RFC 5869 Appendix A)', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('Extract gives the PRK', () => {
        assert.equal(hkdfExtract(c.salt, c.ikm).toString('hex'), c.prk.toString('hex'));
      });
      it('Expand of the PRK gives the OKM', () => {
        assert.equal(hkdfExpand(c.prk, c.info, c.length).toString('hex'), c.okm.toString('hex'));
      });
      it('Extract-then-Expand agrees with the OKM and with node:crypto hkdfSync', () => {
        const okm = hkdf(c.salt, c.ikm, c.info, c.length);
        assert.equal(okm.toString('hex'), c.okm.toString('hex'));
        const node = Buffer.from(hkdfSync('sha256', c.ikm, c.salt, c.info, c.length));
        assert.equal(node.toString('hex'), c.okm.toString('hex'));
      });
    });
  }

  it('Expand refuses lengths outside 1–8160', () => {
    assert.throws(() => hkdfExpand(cases[0]!.prk, Buffer.alloc(0), 0), RangeError);
    assert.throws(() => hkdfExpand(cases[0]!.prk, Buffer.alloc(0), 255 * 32 + 1), RangeError);
    assert.equal(hkdfExpand(cases[0]!.prk, Buffer.alloc(0), 255 * 32).length, 8160);
  });
});
