// Pure parsers of the health-check files of our own (`health-check`, `health-interval`, `health-retries`, …).
import { HEALTH_MIN_INTERVAL_MS, HEALTH_MIN_TIMEOUT_MS, HEALTH_RETRIES_MAX, MAX_TIMEOUT_MS } from './constants.js';
import { quote } from './fs-probe.js';
import type { Parsed } from './settings.js';
import type { HealthProbe } from './types.js';

const CHECK_EXPECTED = 'a command line, "exec COMMAND", "tcp HOST:PORT" or "http URL"';

/** `HOST:PORT`, `[V6]:PORT`. */
function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):([0-9]{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65_535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}

/**
 * `health-check`: the first line that is not blank or a `#` comment. `tcp HOST:PORT` connects; `http URL` (or
 * https) expects a 2xx or 3xx status; `exec COMMAND` or any other line is a command run by `/bin/sh -c`.
 */
export function parseHealthCheck(text: string): Parsed<HealthProbe> {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
  if (line === undefined) return { ok: false, expected: CHECK_EXPECTED, got: 'an empty file' };
  const [word, ...rest] = line.split(/\s+/);
  const arg = rest.join(' ');
  switch (word) {
    case 'tcp': {
      const hp = parseHostPort(arg);
      return hp ? { ok: true, value: { kind: 'tcp', ...hp } } : { ok: false, expected: 'tcp HOST:PORT (port 1-65535)', got: quote(line) };
    }
    case 'http': {
      let url: URL | undefined;
      try {
        url = new URL(arg);
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || rest.length !== 1) {
        return { ok: false, expected: 'http URL (an http:// or https:// URL)', got: quote(line) };
      }
      return { ok: true, value: { kind: 'http', url: url.href } };
    }
    case 'exec':
      return arg === '' ? { ok: false, expected: 'exec COMMAND', got: quote(line) } : { ok: true, value: { kind: 'exec', command: arg } };
    default:
      return { ok: true, value: { kind: 'exec', command: line } };
  }
}

function parseBounded(text: string, min: number, max: number, what: string): Parsed<number> {
  const value = text.trim();
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return { ok: true, value: n };
  return { ok: false, expected: `${what} from ${min} to ${max}`, got: quote(value) };
}

/** `health-interval`: ms between the end of one check and the start of the next. */
export const parseHealthInterval = (text: string): Parsed<number> => parseBounded(text, HEALTH_MIN_INTERVAL_MS, MAX_TIMEOUT_MS, 'an integer of milliseconds');
/** `health-timeout`: ms a check may take before it counts as failed (an exec check's process group is killed). */
export const parseHealthTimeout = (text: string): Parsed<number> => parseBounded(text, HEALTH_MIN_TIMEOUT_MS, MAX_TIMEOUT_MS, 'an integer of milliseconds');
/** `health-retries`: consecutive failures before the service is restarted. */
export const parseHealthRetries = (text: string): Parsed<number> => parseBounded(text, 1, HEALTH_RETRIES_MAX, 'an integer');
/** `health-start-period`: ms of grace after ready before the first interval begins. */
export const parseHealthStartPeriod = (text: string): Parsed<number> => parseBounded(text, 0, MAX_TIMEOUT_MS, 'an integer of milliseconds');

/** The check as one line of text, for status output (`tcp 127.0.0.1:80`, `http http://…/`, `exec …`). */
export function describeHealthProbe(p: HealthProbe): string {
  switch (p.kind) {
    case 'tcp':
      return `tcp ${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
    case 'http':
      return `http ${p.url}`;
    case 'exec':
      return `exec ${p.command}`;
  }
}
