// The global flags: their specs, and their normalisation (defaults in one place, validators that say what they expected).
import { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV } from '@fortros/core';
import { join, resolve } from 'node:path';
import { DEFAULT_TIMEOUT_MS } from '../constants.js';
import { UsageError } from '../errors.js';
import type { FlagSpec, GlobalOptions } from '../commands/command.js';

export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  root: { type: 'string', value: 'DIR', help: `node root every path hangs off (env ${ROOT_ENV}, default ${DEFAULT_ROOT})` },
  socket: { type: 'string', value: 'PATH', help: `socket of the daemon the command talks to (default <root>/${NODE_PATHS.initSocket}; keys.sock, maintainer.sock)` },
  json: { type: 'boolean', help: 'machine-readable output: one JSON document, or one JSON object per line for streams' },
  timeout: { type: 'string', value: 'MS', help: `deadline of a call, and of wait / --wait, in ms (default ${DEFAULT_TIMEOUT_MS}; 0 = none)` },
  help: { type: 'boolean', short: 'h', help: 'show help (also after a command: fortctl status --help)' },
};

export interface RawGlobals {
  root?: string | boolean | undefined;
  socket?: string | boolean | undefined;
  json?: string | boolean | undefined;
  timeout?: string | boolean | undefined;
}

function nonEmpty(flag: string, value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag}: expected a path, got ${JSON.stringify(value)}`);
  return value;
}

/** Defaults applied, paths made absolute (a relative unix socket path would be taken for host:port). */
export function normaliseGlobals(raw: RawGlobals, env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  const root = resolve(nonEmpty('--root', raw.root) ?? (env[ROOT_ENV] || DEFAULT_ROOT));
  const socketFlag = nonEmpty('--socket', raw.socket);
  const socketOverride = socketFlag ? resolve(socketFlag) : undefined;
  const socket = socketOverride ?? join(root, NODE_PATHS.initSocket);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (raw.timeout !== undefined) {
    const t = String(raw.timeout);
    timeoutMs = /^\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(timeoutMs)) throw new UsageError(`--timeout: expected milliseconds (an integer ≥ 0), got ${JSON.stringify(t)}`);
  }
  return { root, socket, socketOverride, json: raw.json === true, timeoutMs };
}
