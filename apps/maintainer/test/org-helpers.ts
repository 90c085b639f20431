// Test helpers for the org specs: a recording logger and temporary directories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '@fortros/log';
import { generatePrivateKey, nodeIdOf, publicKeyOf } from '../src/node/identity.js';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: LogFields;
}

export interface RecordingLogger extends Logger {
  records: LogRecord[];
}

export function recordingLogger(records: LogRecord[] = []): RecordingLogger {
  const make = (bound: LogFields): RecordingLogger => {
    const at =
      (level: LogRecord['level']) =>
      (msg: string, fields?: LogFields): void => {
        records.push({ level, msg, fields: { ...bound, ...fields } });
      };
    return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (f) => make({ ...bound, ...f }) };
  };
  return make({});
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fortros-org-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A minimal valid process workload spec with the given id. */
export function processSpec(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, driver: 'process', command: '/bin/true', placement: { nodes: ['node-a'] }, ...extra };
}

/** A valid member record with a fresh WireGuard key (its id derives from the key, as the document requires). */
export function memberRecord(extra: Record<string, unknown> = {}): { id: string; name: string; address: string; overlayIp: string; publicKey: string; labels: Record<string, string>; joinedAt: string } {
  const publicKey = publicKeyOf(generatePrivateKey());
  const id = nodeIdOf(publicKey);
  return { id, name: `node ${id}`, address: '192.0.2.1:7946', overlayIp: '10.42.0.7', publicKey, labels: {}, joinedAt: '2025-01-02T03:04:05.000Z', ...extra };
}

/** Polls `pred` until it holds or `ms` pass (no sleeps standing in for synchronisation). */
export async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
