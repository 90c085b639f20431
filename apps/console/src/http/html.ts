// HTML building for the console's pages: one escape for text and attributes, and the page frame every page shares.
import { PAGE_REFRESH_MS } from '../constants.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text or a quoted attribute value; C0 controls other than tab and newline are dropped. */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Markup that is already safe (built by `html` or escapeHtml); anything else interpolated is escaped. */
export class Safe {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Safe | string | number | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined) return '';
  if (part instanceof Safe) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** A tagged template: literal markup kept, every interpolated value escaped unless it is Safe. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Safe {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Safe(out);
}

export const NAV: readonly { href: string; label: string }[] = [
  { href: '/', label: 'Services' },
  { href: '/timeline', label: 'Boot timeline' },
  { href: '/members', label: 'Members' },
  { href: '/workloads', label: 'Workloads' },
];

const STYLE = `body{font:14px system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:8px 16px}header a{color:#fff;margin-right:16px;text-decoration:none}
header strong{margin-right:24px}main{padding:16px}table{border-collapse:collapse;background:#fff}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}
.state{padding:1px 6px;border-radius:3px}.down{background:#fde0dd;border:1px solid #cb181d;padding:8px;display:inline-block}
pre.log{background:#111;color:#ddd;padding:8px;max-height:70vh;overflow:auto;white-space:pre-wrap}
.muted{color:#777}`;

/** A whole page: title, navigation, `body`; `live` is the URL the script fetches `#live` from again. */
export function page(title: string, body: Safe, live?: string): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><title>${title} · fortros-console</title>
<style>${new Safe(STYLE)}</style><script src="/console.js" defer></script></head>
<body><header><strong>fortros-console</strong>${NAV.map((n) => html`<a href="${n.href}">${n.label}</a>`)}</header>
<main><h1>${title}</h1><div id="live"${live ? html` data-live="${live}" data-refresh-ms="${PAGE_REFRESH_MS}"` : ''}>${body}</div></main></body></html>`.text}\n`;
}
