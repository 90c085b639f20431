// Services for people: the `services` table and the `status` key: value block.
import type { InitV1 } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { serviceToJson, type ExitJson, type HealthJson, type ServiceJson } from '@fortros/views';
import { paintState } from './colour.js';
import { renderTable } from './table.js';
import { formatAge } from '@fortros/views';

export const SERVICE_TABLE_HEADER = ['NAME', 'TYPE', 'STATE', 'PID', 'SINCE', 'RESTARTS', 'REASON/WAITING-ON'] as const;

/** `code 1`, `signal SIGKILL`, or `-`. */
export function formatExit(exit: ExitJson | null): string {
  if (!exit) return '-';
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/**
 * Why a service is where it is: what it waits on, its reason, and when a backoff ends. init's reason for a
 * blocked service already says `waiting on …` when no dependency failed, so that part is not said twice.
 */
export function explain(s: InitV1.Service__Output, now: Date): string {
  const parts: string[] = [];
  const waiting = s.waitingOn?.length ? `waiting on ${s.waitingOn.join(', ')}` : '';
  if (waiting && s.reason !== waiting) parts.push(waiting);
  if (s.reason) parts.push(s.reason);
  const restartAt = fromTimestamp(s.restartAt);
  if (restartAt && String(s.state) === 'SERVICE_STATE_BACKOFF') parts.push(restartIn(restartAt, now));
  return parts.join('; ');
}

/** `restart in 3s`, or `restart due` once the time has passed. */
function restartIn(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  return ms >= 1000 ? `restart in ${formatAge(ms)}` : 'restart due';
}

function ageOf(j: ServiceJson, now: Date): string {
  return j.since ? formatAge(now.getTime() - Date.parse(j.since)) : '-';
}

const STATE_COLUMN = SERVICE_TABLE_HEADER.indexOf('STATE');

/** The `services` table, sorted by name; with `colour`, the STATE column in its state's colour. */
export function renderServicesTable(services: readonly InitV1.Service__Output[], now: Date, colour = false): string[] {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  const rows = sorted.map((s) => {
    const j = serviceToJson(s);
    return [j.name, j.type, j.state, j.pid === null ? '-' : String(j.pid), ageOf(j, now), String(j.restarts), explain(s, now) || '-'];
  });
  return renderTable(SERVICE_TABLE_HEADER, rows, colour ? (i, cell, padded) => (i === STATE_COLUMN ? paintState(cell, padded) : padded) : undefined);
}

const list = (xs: readonly string[] | undefined): string => (xs?.length ? xs.join(', ') : '-');

/** `status NAME`: one `key: value` line per field, keys aligned; keys are the JSON names where one exists. */
export function renderServiceStatus(s: InitV1.Service__Output, now: Date): string[] {
  const j = serviceToJson(s);
  const pairs: [string, string][] = [
    ['name', j.name],
    ['type', j.type],
    ['state', j.state],
    ['ready', j.ready ? 'yes' : 'no'],
    ['wanted', s.wanted ? 'yes' : 'no'],
    ['pid', j.pid === null ? '-' : String(j.pid)],
    ['since', j.since ? `${j.since} (${ageOf(j, now)} ago)` : '-'],
    ['restarts', String(j.restarts)],
    ['waitingOn', list(j.waitingOn)],
    ['reason', j.reason ?? '-'],
    ['lastExit', formatExit(j.lastExit)],
  ];
  if (j.health) pairs.push(...healthPairs(j.health));
  const restartAt = fromTimestamp(s.restartAt);
  if (restartAt) pairs.push(['restartAt', `${restartAt.toISOString()} (${restartIn(restartAt, now)})`]);
  pairs.push(['dependencies', list(s.dependencies)]);
  if (j.type === 'bundle' || s.contents?.length) pairs.push(['contents', list(s.contents)]);
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`);
}

/** `health: healthy (tcp 127.0.0.1:80)`, its last result, failures in a row, and the last restart it asked for. */
function healthPairs(h: HealthJson): [string, string][] {
  const last = h.lastResult;
  return [
    ['health', `${h.status} (${h.check})`],
    ['health.lastResult', last ? `${last.ok ? 'passed' : 'failed'} at ${last.at ?? '-'}: ${last.message}` : '-'],
    ['health.consecutiveFailures', `${h.consecutiveFailures} of ${h.retries}`],
    ['health.restarts', String(h.restarts)],
    ['health.lastRestartReason', h.lastRestartReason ?? '-'],
  ];
}

/** One line after start/stop/restart/signal: `web: ready (pid 42)`; with `colour`, the state in its colour. */
export function renderServiceSummary(s: InitV1.Service__Output, now: Date, colour = false): string {
  const j = serviceToJson(s);
  const why = explain(s, now);
  return `${j.name}: ${colour ? paintState(j.state, j.state) : j.state}${j.pid === null ? '' : ` (pid ${j.pid})`}${why ? ` - ${why}` : ''}`;
}
