// Stream records (events, log lines) as JSON objects and as text lines.
import type { InitV1 } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { isoOf, stateName, type StateName } from '@fortros/views';

export interface EventJson {
  seq: number;
  at: string | null;
  service: string;
  from: StateName;
  to: StateName;
  reason: string | null;
  pid: number | null;
}

export function eventToJson(e: InitV1.Event__Output): EventJson {
  return {
    seq: Number(e.seq ?? 0),
    at: isoOf(e.at),
    service: e.service,
    from: stateName(e.from),
    to: stateName(e.to),
    reason: e.reason ? e.reason : null,
    pid: e.pid ? Number(e.pid) : null,
  };
}

/** `2024-05-01T10:00:00.000Z web starting -> ready pid=42 reason` */
export function formatEvent(e: InitV1.Event__Output): string {
  const j = eventToJson(e);
  const at = j.at ?? '-';
  return [at, j.service, `${j.from} -> ${j.to}`, j.pid === null ? '' : `pid=${j.pid}`, j.reason ?? ''].filter(Boolean).join(' ');
}

export interface LogLineJson {
  service: string;
  at: string | null;
  line: string;
}

export function logLineToJson(l: InitV1.LogLine__Output): LogLineJson {
  return { service: l.service, at: isoOf(l.at), line: l.line };
}

/**
 * `TIMESTAMP LINE` (`TIMESTAMP SERVICE: LINE` with `withService`, when several logs are merged); control characters
 * other than tab are shown escaped so a log cannot drive the terminal.
 */
export function formatLogLine(l: InitV1.LogLine__Output, withService = false): string {
  const at = fromTimestamp(l.at)?.toISOString() ?? '-';
  return `${at} ${withService ? `${sanitizeForTerminal(l.service)}: ` : ''}${sanitizeForTerminal(l.line)}`;
}

export function sanitizeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
