// `key derive`: ask fortros-keys for the calling service's key (the caller is identified by the kernel, not by flags).
import { NODE_PATHS } from '@fortros/core';
import { join } from 'node:path';
import type { KeysV1 } from '@fortros/proto';
import { OperationFailedError, UsageError } from '../errors.js';
import { callOptions, printJson, type CommandContext, type CommandSpec } from './command.js';
import { loadProto, loadRpc, type Rpc } from './grpc-stack.js';
import { checkSocket, unreachableError } from './unreachable.js';

const FORMATS = ['hex', 'base64', 'raw'] as const;
type KeyFormat = (typeof FORMATS)[number];

/** Bounds of DESIGN §7, checked here too so a typo is a usage error before any call. */
const MIN_LENGTH = 16;
const MAX_LENGTH = 64;
const MAX_VERSION = 0xffff_ffff;
const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface DeriveArgs {
  purpose: string;
  length: number;
  version: number;
  format: KeyFormat;
}

function integerFlag(flag: string, value: string | boolean | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${flag}: expected an integer ${min}-${max}, got ${JSON.stringify(value)}`, 'key');
  return n;
}

/** The flags of `key derive`, validated (UsageError says what was expected). */
export function deriveArgs(flags: Record<string, string | boolean | undefined>, json: boolean): DeriveArgs {
  const purpose = flags['purpose'];
  if (purpose === undefined) throw new UsageError('key derive: missing --purpose', 'key');
  if (typeof purpose !== 'string' || !PURPOSE_PATTERN.test(purpose)) {
    throw new UsageError(`--purpose: expected a name matching [a-z0-9][a-z0-9._-]{0,62}, got ${JSON.stringify(purpose)}`, 'key');
  }
  const format = flags['format'] ?? 'hex';
  if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`, 'key');
  }
  if (json && format !== 'hex') throw new UsageError('--json prints the key in hex; --format does not apply', 'key');
  return {
    purpose,
    length: integerFlag('length', flags['length'], MIN_LENGTH, MAX_LENGTH, 32),
    version: integerFlag('version', flags['version'], 1, MAX_VERSION, 1),
    format: format as KeyFormat,
  };
}

/** A Keys client on `socket`, after checking the socket (DaemonUnreachableError naming it otherwise). */
async function connectKeys(socket: string): Promise<KeysV1.KeysClient> {
  await checkSocket('fortros-keys', socket);
  const [rpc, proto] = await Promise.all([loadRpc(), loadProto()]);
  return rpc.createClient<KeysV1.KeysClient>(proto.KeysV1.loadKeysApi(), socket);
}

/** UNAVAILABLE and DEADLINE_EXCEEDED name the key service (the shared map speaks of init); the rest keep their code. */
function keysFailure(rpc: Rpc, err: unknown, socket: string): unknown {
  const { RpcCallError, StatusCode } = rpc;
  if (!(err instanceof RpcCallError)) return err;
  if (err.code === StatusCode.UNAVAILABLE) return unreachableError('fortros-keys', socket, err.details);
  if (err.code === StatusCode.DEADLINE_EXCEEDED) return new OperationFailedError(`key derive: no answer from fortros-keys in time (see --timeout): ${err.details}`);
  return err;
}

function printKey(ctx: CommandContext, key: Buffer, format: KeyFormat): void {
  if (format === 'hex') ctx.out.line(key.toString('hex'));
  else if (format === 'base64') ctx.out.line(key.toString('base64'));
  else if (ctx.out.bytes) ctx.out.bytes(key);
  else throw new OperationFailedError('key derive: this output cannot take raw bytes');
}

async function derive(ctx: CommandContext, args: DeriveArgs): Promise<void> {
  const socket = ctx.options.socketOverride ?? join(ctx.options.root, NODE_PATHS.keysSocket);
  const client = await connectKeys(socket);
  const rpc = await loadRpc();
  let res: KeysV1.DeriveKeyResponse__Output;
  try {
    res = await rpc.unary(client, 'deriveKey', { purpose: args.purpose, length: args.length, version: args.version }, callOptions(ctx));
  } catch (err) {
    throw keysFailure(rpc, err, socket);
  } finally {
    rpc.closeClient(client);
  }
  const key = res.key;
  try {
    if (key.length !== res.length) throw new OperationFailedError(`key derive: fortros-keys answered ${key.length} bytes, expected ${res.length}`);
    if (ctx.options.json) {
      printJson(ctx, { service: res.service, purpose: args.purpose, version: res.version, length: res.length, keyId: res.keyId, key: key.toString('hex') });
    } else {
      printKey(ctx, key, args.format);
    }
  } finally {
    key.fill(0); // the printed text cannot be wiped; our copy of the bytes can
  }
}

export const keyCommand: CommandSpec = {
  name: 'key',
  args: 'derive',
  summary: "derive the calling service's key from fortros-keys",
  details:
    'key derive --purpose P [--length L] [--version V] [--format hex|base64|raw]\n' +
    'Prints the key of the service this fortctl runs under (the kernel says who is calling; nothing on the command\n' +
    'line can change it): hex by default, base64, or raw bytes. --json: {service, purpose, version, length, keyId,\n' +
    `key (hex)}. Talks to <root>/${NODE_PATHS.keysSocket} (--socket overrides). Exit 1 when the caller is not a service\n` +
    'supervised by init (UNAUTHENTICATED) or the purpose is outside its policy (PERMISSION_DENIED); 3 when the key\n' +
    'service is unreachable or has no usable master key (UNAVAILABLE).',
  flags: {
    purpose: { type: 'string', value: 'P', help: 'what the key is for: [a-z0-9][a-z0-9._-]{0,62}' },
    length: { type: 'string', value: 'L', help: `key length in bytes, ${MIN_LENGTH}-${MAX_LENGTH} (default 32)` },
    version: { type: 'string', value: 'V', help: 'key version, 1-4294967295 (default 1); rotate by asking for the next' },
    format: { type: 'string', value: 'F', help: 'hex (default), base64 or raw (bytes, no newline)' },
  },
  positionals: { min: 1, max: 1 },
  completions: ['derive'],
  async run(ctx, { positionals: [sub], flags }) {
    if (sub !== 'derive') throw new UsageError(`key: unknown subcommand ${JSON.stringify(sub)}; expected derive`, 'key');
    await derive(ctx, deriveArgs(flags, ctx.options.json));
  },
};
