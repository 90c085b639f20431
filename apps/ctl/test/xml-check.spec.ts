// The XML well-formedness helper itself, so a passing SVG test means something.
import assert from 'node:assert/strict';
import { parseXml } from './xml-check.js';

describe('the XML well-formedness check used on SVG output', () => {
  const bad: [string, string][] = [
    ['<svg><g></svg>', 'mismatched close'],
    ['<svg><g>', 'unclosed'],
    ['<svg>a & b</svg>', 'raw ampersand'],
    ['<svg><text x=1>t</text></svg>', 'unquoted attribute'],
    ['<svg><text a="1" a="2"/></svg>', 'duplicate attribute'],
    ['<svg/><svg/>', 'two roots'],
    ['<svg>a < b</svg>', 'raw less-than'],
  ];
  for (const [xml, why] of bad) it(`rejects ${why}`, () => assert.throws(() => parseXml(xml)));

  it('accepts a prolog, entities and self-closing tags, and decodes text', () => {
    const els = parseXml('<?xml version="1.0"?>\n<svg a="x &amp; y"><text>&lt;b&gt; &amp; c</text><rect/></svg>');
    assert.deepEqual(els.map((e) => e.name), ['svg', 'text', 'rect']);
    assert.equal(els[0]!.attrs['a'], 'x & y');
    assert.equal(els[1]!.text, '<b> & c');
  });
});
