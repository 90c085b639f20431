// The issuer's token records in persist/maintainer/tokens/: hashed (the auth key, never the secret), durable, bounded.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfExists, syncDir, TMP_SUFFIX, writeFileDurably } from '../org/store-files.js';
import {
  TOKEN_FILE_MAX_BYTES,
  TOKEN_ID_BYTES,
  TOKEN_RETAIN_AFTER_EXPIRY_MS,
  TOKEN_SECRET_BYTES,
  TOKEN_STORE_MAX,
  TOKEN_TTL_DEFAULT_MS,
  TOKEN_TTL_MAX_MS,
  TOKEN_TTL_MIN_MS,
  TOKEN_USES_DEFAULT,
  TOKEN_USES_MAX,
} from '../constants.js';
import { authKeyOf } from './admission-crypto.js';
import { TokenExpiredError, TokenFileError, TokenLimitError, TokenOptionError, TokenUsedUpError, UnknownTokenError } from '../errors.js';
import { addressProblem, formatJoinToken, isOrgId, isTokenId } from './join-token.js';

export const TOKENS_DIR = 'persist/maintainer/tokens';
const FILE_SUFFIX = '.json';
const RECORD_VERSION = 1;
const AUTH_KEY_HEX = /^[0-9a-f]{64}$/;

/** What `token list` shows: everything but the auth key. */
export interface TokenInfo {
  id: string;
  orgId: string;
  createdAtMs: number;
  expiresAtMs: number;
  uses: number;
  used: number;
}

/** One record as held: the info plus the auth key (HKDF of the secret). */
export interface TokenRecord extends TokenInfo {
  authKey: Buffer;
}

export interface CreateTokenOptions {
  orgId: string;
  /** The issuer's underlay admission address, host:port, written into the token. */
  address: string;
  ttlMs?: number;
  uses?: number;
}

export interface TokenStoreOptions {
  /** The node's root; records live in <root>/persist/maintainer/tokens/. */
  root: string;
  now?: () => number;
}

const infoOf = ({ id, orgId, createdAtMs, expiresAtMs, uses, used }: TokenRecord): TokenInfo => ({ id, orgId, createdAtMs, expiresAtMs, uses, used });

export class TokenStore {
  private readonly records = new Map<string, TokenRecord>();
  /** Every change runs after the previous one: consume's check-then-write is atomic. */
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly now: () => number,
  ) {}

  /** Opens (creating) the directory and reads every record; a bad record file is a TokenFileError naming it. */
  static async open(options: TokenStoreOptions): Promise<TokenStore> {
    const dir = join(options.root, TOKENS_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const store = new TokenStore(dir, options.now ?? Date.now);
    for (const name of (await readdir(dir)).sort()) {
      if (name.endsWith(TMP_SUFFIX)) {
        await unlink(join(dir, name)); // a create or consume that crashed before its rename: never acknowledged
        continue;
      }
      if (!name.endsWith(FILE_SUFFIX)) continue;
      const record = await readRecord(join(dir, name));
      if (`${record.id}${FILE_SUFFIX}` !== name) throw new TokenFileError(join(dir, name), `id: expected ${name.slice(0, -FILE_SUFFIX.length)}, got ${record.id}`);
      store.records.set(record.id, record);
    }
    return store;
  }

  /** A new token, durable (fsynced) before it is returned; the secret exists only in the returned string. */
  create(options: CreateTokenOptions): Promise<{ token: string; info: TokenInfo }> {
    return this.serial(async () => {
      const ttlMs = options.ttlMs ?? TOKEN_TTL_DEFAULT_MS;
      const uses = options.uses ?? TOKEN_USES_DEFAULT;
      if (!Number.isInteger(ttlMs) || ttlMs < TOKEN_TTL_MIN_MS || ttlMs > TOKEN_TTL_MAX_MS) throw new TokenOptionError('ttl', `expected ${TOKEN_TTL_MIN_MS} to ${TOKEN_TTL_MAX_MS} ms, got ${ttlMs}`);
      if (!Number.isInteger(uses) || uses < 1 || uses > TOKEN_USES_MAX) throw new TokenOptionError('uses', `expected 1 to ${TOKEN_USES_MAX}, got ${uses}`);
      if (!isOrgId(options.orgId)) throw new TokenOptionError('org id', `expected a name matching [a-z0-9][a-z0-9._-]{0,62}, got ${JSON.stringify(options.orgId)}`);
      const bad = addressProblem(options.address);
      if (bad) throw new TokenOptionError('address', bad);
      await this.prune();
      if (this.records.size >= TOKEN_STORE_MAX) throw new TokenLimitError(`token create: the store holds ${TOKEN_STORE_MAX} tokens already; revoke some`);
      const secret = randomBytes(TOKEN_SECRET_BYTES);
      let id = randomBytes(TOKEN_ID_BYTES).toString('hex');
      while (this.records.has(id)) id = randomBytes(TOKEN_ID_BYTES).toString('hex');
      const now = this.now();
      const record: TokenRecord = { id, orgId: options.orgId, createdAtMs: now, expiresAtMs: now + ttlMs, uses, used: 0, authKey: authKeyOf(secret) };
      await this.write(record);
      return { token: formatJoinToken({ orgId: options.orgId, address: options.address, id, secret }), info: infoOf(record) };
    });
  }

  /** Every record, oldest first, without auth keys. */
  list(): TokenInfo[] {
    return [...this.records.values()].sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id)).map(infoOf);
  }

  /** Removes a token (durably); false when there was none. */
  revoke(id: string): Promise<boolean> {
    return this.serial(async () => {
      if (!this.records.has(id)) return false;
      await this.remove(id);
      return true;
    });
  }

  /** The usable record of `id`, or the refusal: unknown, expired, used up. Consumes nothing. */
  usable(id: string): TokenRecord {
    const record = isTokenId(id) ? this.records.get(id) : undefined;
    if (!record) throw new UnknownTokenError(id);
    if (this.now() >= record.expiresAtMs) throw new TokenExpiredError(id, new Date(record.expiresAtMs));
    if (record.used >= record.uses) throw new TokenUsedUpError(id, record.uses);
    return record;
  }

  /** Consumes one use atomically (checked and written under the store's lock) and durably, before it resolves. */
  consume(id: string): Promise<TokenInfo> {
    return this.serial(async () => {
      const record = this.usable(id);
      const next = { ...record, used: record.used + 1 };
      await this.write(next);
      return infoOf(next);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Drops records expired longer than TOKEN_RETAIN_AFTER_EXPIRY_MS ago. */
  private async prune(): Promise<void> {
    const cutoff = this.now() - TOKEN_RETAIN_AFTER_EXPIRY_MS;
    for (const r of [...this.records.values()]) if (r.expiresAtMs < cutoff) await this.remove(r.id);
  }

  private async write(record: TokenRecord): Promise<void> {
    const json = {
      version: RECORD_VERSION,
      id: record.id,
      orgId: record.orgId,
      createdAt: new Date(record.createdAtMs).toISOString(),
      expiresAt: new Date(record.expiresAtMs).toISOString(),
      uses: record.uses,
      used: record.used,
      authKey: record.authKey.toString('hex'),
    };
    await writeFileDurably(this.dir, `${record.id}${FILE_SUFFIX}`, Buffer.from(`${JSON.stringify(json, null, 2)}\n`));
    this.records.set(record.id, record);
  }

  private async remove(id: string): Promise<void> {
    await unlink(join(this.dir, `${id}${FILE_SUFFIX}`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await syncDir(this.dir);
    this.records.delete(id);
  }
}

async function readRecord(file: string): Promise<TokenRecord> {
  if ((await stat(file)).size > TOKEN_FILE_MAX_BYTES) throw new TokenFileError(file, `larger than ${TOKEN_FILE_MAX_BYTES} bytes`);
  const text = (await readIfExists(file))?.toString('utf8') ?? '';
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new TokenFileError(file, 'not valid JSON', { cause: err });
  }
  const fail = (field: string, expected: string): never => {
    throw new TokenFileError(file, `${field}: expected ${expected}`);
  };
  if (o.version !== RECORD_VERSION) fail('version', String(RECORD_VERSION));
  if (typeof o.id !== 'string' || !isTokenId(o.id)) fail('id', `${TOKEN_ID_BYTES * 2} lowercase hex characters`);
  if (typeof o.orgId !== 'string' || !isOrgId(o.orgId)) fail('orgId', 'an org name');
  const createdAtMs = Date.parse(String(o.createdAt));
  const expiresAtMs = Date.parse(String(o.expiresAt));
  if (!Number.isFinite(createdAtMs)) fail('createdAt', 'an ISO 8601 time');
  if (!Number.isFinite(expiresAtMs)) fail('expiresAt', 'an ISO 8601 time');
  if (!Number.isInteger(o.uses) || (o.uses as number) < 1 || (o.uses as number) > TOKEN_USES_MAX) fail('uses', `an integer 1 to ${TOKEN_USES_MAX}`);
  if (!Number.isInteger(o.used) || (o.used as number) < 0) fail('used', 'an integer ≥ 0');
  if (typeof o.authKey !== 'string' || !AUTH_KEY_HEX.test(o.authKey)) fail('authKey', '64 lowercase hex characters');
  return {
    id: o.id as string,
    orgId: o.orgId as string,
    createdAtMs,
    expiresAtMs,
    uses: o.uses as number,
    used: o.used as number,
    authKey: Buffer.from(o.authKey as string, 'hex'),
  };
}
