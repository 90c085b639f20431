// The live parts of the pages, server-rendered: services, members and workloads as tables; a daemon down as a notice.
import { STATE_STYLES, type MemberJson, type ServiceJson, type StateName } from '@fortros/views';
import { MAX_TABLE_ROWS } from '../constants.js';
import type { DaemonDownError } from '../errors.js';
import type { Outcome, WorkloadJson } from '../daemons/node-reader.js';
import { html, type Safe } from '../http/html.js';

/** What the page shows instead of a table when a daemon does not answer. */
export function downNotice(down: DaemonDownError): Safe {
  return html`<p class="down" data-down="${down.daemon}"><strong>${down.daemon} is down</strong>: ${down.why} (${down.socket})</p>`;
}

function stateBadge(state: StateName): Safe {
  const s = STATE_STYLES[state];
  return html`<span class="state" style="background:${s.fill};color:${s.text}">${state}</span>`;
}

function capped<T>(rows: readonly T[], draw: (row: T) => Safe): Safe[] {
  const out = rows.slice(0, MAX_TABLE_ROWS).map(draw);
  if (rows.length > MAX_TABLE_ROWS) out.push(html`<tr><td colspan="9" class="muted">… and ${rows.length - MAX_TABLE_ROWS} more</td></tr>`);
  return out;
}

const orDash = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? '-' : String(v));

export function servicesTable(o: Outcome<ServiceJson[]>): Safe {
  if (!o.ok) return downNotice(o.down);
  return html`<table id="services"><tr><th>service</th><th>type</th><th>state</th><th>pid</th><th>restarts</th><th>since</th><th>waiting on</th><th>reason</th><th>logs</th></tr>
${capped(o.value, (s) => html`<tr data-service="${s.name}"><td>${s.name}</td><td>${s.type}</td><td>${stateBadge(s.state)}</td><td>${orDash(s.pid)}</td><td>${s.restarts}</td><td>${orDash(s.since)}</td><td>${s.waitingOn.join(', ')}</td><td>${orDash(s.reason)}</td><td>${s.type === 'bundle' ? '' : html`<a href="/logs?service=${encodeURIComponent(s.name)}">logs</a>`}</td></tr>\n`)}</table>`;
}

export function membersTable(o: Outcome<MemberJson[]>): Safe {
  if (!o.ok) return downNotice(o.down);
  const labels = (l: Record<string, string>): string => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ');
  return html`<table id="members"><tr><th>name</th><th>id</th><th>state</th><th>address</th><th>overlay IP</th><th>labels</th></tr>
${capped(o.value, (m) => html`<tr data-member="${m.id}"><td>${orDash(m.name)}</td><td>${m.id}</td><td>${m.state}</td><td>${orDash(m.address)}</td><td>${orDash(m.overlayIp)}</td><td>${labels(m.labels)}</td></tr>\n`)}</table>`;
}

export function workloadsTable(o: Outcome<WorkloadJson[]>, reconcilerPresent: boolean): Safe {
  if (!o.ok) return downNotice(o.down);
  const logs = (w: WorkloadJson): Safe => html`<a href="/logs?workload=${encodeURIComponent(w.id)}">logs</a>`;
  return html`${reconcilerPresent ? '' : html`<p class="muted">fortros-reconciler is not running on this node: phases come from what nodes reported to the org.</p>`}
<table id="workloads"><tr><th>workload</th><th>node</th><th>phase</th><th>pid</th><th>restarts</th><th>since</th><th>reason</th><th>logs</th></tr>
${capped(o.value, (w) => html`<tr data-workload="${w.id}"><td>${w.id}</td><td>${orDash(w.node)}</td><td>${orDash(w.phase)}</td><td>${orDash(w.pid)}</td><td>${orDash(w.restarts)}</td><td>${orDash(w.since)}</td><td>${orDash(w.reason)}</td><td>${logs(w)}</td></tr>\n`)}</table>`;
}
