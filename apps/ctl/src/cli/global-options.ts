// The global flags: their specs, and their normalisation (defaults in one place, validators that say what they expected).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV } from '@fortros/core';
import { DEFAULT_TIMEOUT_MS, DEV_ROOT } from '../constants.js';
import { UsageError } from '../errors.js';
import type { FlagSpec, GlobalOptions } from '../commands/command.js';

export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  root: {
    type: 'string',
    value: 'DIR',
    help: `node root every path hangs off (env ${ROOT_ENV}; else ./${DEV_ROOT} when ./${DEV_ROOT}/${NODE_PATHS.initSocket} exists, as after npm start; else ${DEFAULT_ROOT})`,
  },
  socket: { type: 'string', value: 'PATH', help: `socket of the daemon the command talks to (default <root>/${NODE_PATHS.initSocket}; keys.sock, maintainer.sock)` },
  json: { type: 'boolean', help: 'machine-readable output: one JSON document, or one JSON object per line for streams' },
  timeout: { type: 'string', value: 'MS', help: `deadline of a call, and of wait / --wait, in ms (default ${DEFAULT_TIMEOUT_MS}; 0 = none)` },
  help: { type: 'boolean', short: 'h', help: 'show help (also after a command: fortctl status --help)' },
  version: { type: 'boolean', help: "print fortctl's version" },
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

/** The root when neither --root nor FORTROS_ROOT names one: the repository's dev node if it runs here, else /. */
export function defaultRoot(exists: (path: string) => boolean = existsSync): string {
  return exists(resolve(DEV_ROOT, NODE_PATHS.initSocket)) ? resolve(DEV_ROOT) : DEFAULT_ROOT;
}

/** Defaults applied, paths made absolute (a relative unix socket path would be taken for host:port). */
export function normaliseGlobals(raw: RawGlobals, env: Readonly<Record<string, string | undefined>>, exists?: (path: string) => boolean): GlobalOptions {
  const root = resolve(nonEmpty('--root', raw.root) ?? (env[ROOT_ENV] || defaultRoot(exists)));
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
