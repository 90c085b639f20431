// Test helper: a strict-enough XML well-formedness check (tags balanced, attributes quoted, text and values escaped).
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Names of the enclosing elements, outermost first. */
  path: string[];
  /** Text directly inside, entities decoded. */
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
const ATTR = /([\w:.-]+)\s*=\s*"([^"<]*)"/g;

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}

function checkAmpersands(s: string, where: string): void {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(s)) throw new Error(`unescaped & in ${where}: ${JSON.stringify(s.slice(i, i + 20))}`);
  }
}

/** Every element, in document order; throws naming the first problem. */
export function parseXml(xml: string): XmlElement[] {
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  const all: XmlElement[] = [];
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkAmpersands(text, 'text');
    if (text.trim() && stack.length === 0) throw new Error(`text outside the root element: ${JSON.stringify(text.trim())}`);
    if (stack.length) stack[stack.length - 1]!.text += decode(text);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 40))}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    i = lt + whole.length;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, k, v] of attrText!.matchAll(ATTR)) {
      if (k! in attrs) throw new Error(`<${name}>: duplicate attribute ${k}`);
      checkAmpersands(v!, `attribute ${k}`);
      attrs[k!] = decode(v!);
    }
    const el: XmlElement = { name: name!, attrs, path: stack.map((s) => s.name), text: '' };
    all.push(el);
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (roots !== 1) throw new Error(`expected one root element, got ${roots}`);
  return all;
}
