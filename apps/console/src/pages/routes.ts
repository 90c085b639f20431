// What each URL answers: pages, their live fragments, the JSON API (DESIGN §6 names) and the boot timeline SVG.
import { stat } from 'node:fs/promises';
import { renderPlotSvg } from '@fortros/views';
import { MAX_NAME_CHARS } from '../constants.js';
import { outcome, type NodeReader, type Outcome } from '../daemons/node-reader.js';
import { html, page, type Safe } from '../http/html.js';
import { downNotice, membersTable, servicesTable, workloadsTable } from './tables.js';

export interface Reply {
  status: number;
  type: 'html' | 'json' | 'svg' | 'text';
  body: string;
}

const ok = (type: Reply['type'], body: string): Reply => ({ status: 200, type, body });
const json = <T>(o: Outcome<T>, key: string): Reply =>
  o.ok ? ok('json', `${JSON.stringify({ [key]: o.value }, null, 2)}\n`) : { status: 503, type: 'json', body: `${JSON.stringify({ error: o.down.message, daemon: o.down.daemon })}\n` };

/** A name from the query string, checked: undefined when absent, an error reply when unusable. */
function nameParam(query: URLSearchParams, key: string): string | Reply | undefined {
  const v = query.get(key);
  if (v === null) return undefined;
  if (v === '' || v.length > MAX_NAME_CHARS) return { status: 400, type: 'text', body: `${key}: expected a name of 1 to ${MAX_NAME_CHARS} characters\n` };
  return v;
}

export class Routes {
  constructor(private readonly node: NodeReader) {}

  private readonly fragments: Record<string, () => Promise<Safe>> = {
    services: async () => servicesTable(await outcome(() => this.node.services())),
    members: async () => membersTable(await outcome(() => this.node.members())),
    workloads: async () => workloadsTable(await outcome(() => this.node.workloads()), await this.reconcilerPresent()),
  };

  private reconcilerPresent(): Promise<boolean> {
    return stat(this.node.reconciler.socket).then((s) => s.isSocket(), () => false);
  }

  /** The reply for GET `path`; undefined when there is no such page (404). SSE is served elsewhere. */
  async get(path: string, query: URLSearchParams): Promise<Reply | undefined> {
    switch (path) {
      case '/':
        return ok('html', page('Services', await this.fragments['services']!(), '/fragment/services'));
      case '/members':
        return ok('html', page('Members', await this.fragments['members']!(), '/fragment/members'));
      case '/workloads':
        return ok('html', page('Workloads', await this.fragments['workloads']!(), '/fragment/workloads'));
      case '/timeline':
        return ok('html', page('Boot timeline', await this.timelineBody()));
      case '/timeline.svg': {
        const t = await outcome(() => this.node.timeline());
        return t.ok ? ok('svg', renderPlotSvg(t.value)) : { status: 503, type: 'text', body: `${t.down.message}\n` };
      }
      case '/logs':
        return this.logsPage(query);
      case '/api/services':
        return json(await outcome(() => this.node.services()), 'services');
      case '/api/members':
        return json(await outcome(() => this.node.members()), 'members');
      case '/api/workloads':
        return json(await outcome(() => this.node.workloads()), 'workloads');
      default: {
        const m = /^\/fragment\/(services|members|workloads)$/.exec(path);
        return m ? ok('html', (await this.fragments[m[1]!]!()).text) : undefined;
      }
    }
  }

  private async timelineBody(): Promise<Safe> {
    const t = await outcome(() => this.node.timeline());
    return t.ok ? html`<img id="timeline" src="/timeline.svg" alt="boot timeline">` : downNotice(t.down);
  }

  private async logsPage(query: URLSearchParams): Promise<Reply> {
    const service = nameParam(query, 'service');
    const workload = nameParam(query, 'workload');
    for (const p of [service, workload]) if (typeof p === 'object') return p;
    if (typeof service === 'string') {
      const src = `/sse/logs?service=${encodeURIComponent(service)}`;
      const body = html`<p>Following <strong>${service}</strong> <span id="log-status" class="muted">connecting…</span></p><pre class="log" id="log" data-sse="${src}"></pre>`;
      return ok('html', page(`Logs of ${service}`, body));
    }
    if (typeof workload === 'string') {
      const why = (await this.reconcilerPresent())
        ? 'this console does not read fortros-reconciler’s API yet'
        : `reconciler not running (no socket at ${this.node.reconciler.socket})`;
      return ok('html', page(`Logs of workload ${workload}`, html`<p class="down" id="log-unavailable">Not available: ${why}.</p>`));
    }
    return { status: 400, type: 'text', body: 'logs: expected ?service=NAME or ?workload=ID\n' };
  }
}
