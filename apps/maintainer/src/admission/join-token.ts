// The join token string: `fortros-token-v1/ORG/HOST:PORT/TOKEN-ID/SECRET`, parsed and formatted (ADMISSION.md).
import { ADDRESS_MAX_CHARS, TOKEN_ID_BYTES, TOKEN_MAX_CHARS, TOKEN_PREFIX, TOKEN_SECRET_BYTES } from '../constants.js';
import { TokenFormatError } from '../errors.js';

export interface JoinToken {
  /** The org the token admits to. */
  orgId: string;
  /** The issuing node's underlay admission address, host:port (IPv6 hosts in brackets). */
  address: string;
  /** The token's public id: lowercase hex. */
  id: string;
  /** The secret: never logged, never sent. */
  secret: Buffer;
}

const FIELDS = ['prefix', 'org id', 'address', 'token id', 'secret'] as const;
const ORG_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TOKEN_ID_PATTERN = new RegExp(`^[0-9a-f]{${TOKEN_ID_BYTES * 2}}$`);
const SECRET_CHARS = Math.ceil((TOKEN_SECRET_BYTES * 4) / 3);
const SECRET_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${SECRET_CHARS}}$`);
const HOST_NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6_PATTERN = /^\[[0-9A-Fa-f:.]+\]$/;

/** Why `value` is not a usable `host:port`, or undefined when it is. */
export function addressProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > ADDRESS_MAX_CHARS) return `expected host:port of 1 to ${ADDRESS_MAX_CHARS} characters, got ${value.length}`;
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return `expected host:port, got ${JSON.stringify(value)}`;
  const host = value.slice(0, colon);
  const portText = value.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65_535) return `expected a port 1-65535, got ${JSON.stringify(portText)}`;
  if (!HOST_NAME_PATTERN.test(host) && !IPV6_PATTERN.test(host)) return `expected a host name, IPv4 address or [IPv6] address, got ${JSON.stringify(host)}`;
  return undefined;
}

/** The token as one copy-pasteable line. */
export function formatJoinToken(token: JoinToken): string {
  return [TOKEN_PREFIX, token.orgId, token.address, token.id, token.secret.toString('base64url')].join('/');
}

/** Parses a token string (surrounding whitespace ignored). Errors name the field at fault and never echo the secret. */
export function parseJoinToken(text: string): JoinToken {
  const t = text.trim();
  if (t.length > TOKEN_MAX_CHARS) throw new TokenFormatError('length', `expected at most ${TOKEN_MAX_CHARS} characters, got ${t.length}`);
  const parts = t.split('/');
  if (parts.length !== FIELDS.length) {
    throw new TokenFormatError('shape', `expected ${FIELDS.length} fields separated by '/' (${TOKEN_PREFIX}/ORG/HOST:PORT/TOKEN-ID/SECRET), got ${parts.length}`);
  }
  const [prefix, orgId, address, id, secretText] = parts as [string, string, string, string, string];
  if (prefix !== TOKEN_PREFIX) throw new TokenFormatError('prefix', `expected ${TOKEN_PREFIX}, got ${JSON.stringify(prefix.slice(0, 32))}`);
  if (!ORG_ID_PATTERN.test(orgId)) throw new TokenFormatError('org id', `expected a name matching [a-z0-9][a-z0-9._-]{0,62}, got ${JSON.stringify(orgId.slice(0, 64))}`);
  const bad = addressProblem(address);
  if (bad) throw new TokenFormatError('address', bad);
  if (!TOKEN_ID_PATTERN.test(id)) throw new TokenFormatError('token id', `expected ${TOKEN_ID_BYTES * 2} lowercase hex characters, got ${id.length} characters`);
  if (!SECRET_PATTERN.test(secretText)) throw new TokenFormatError('secret', `expected ${SECRET_CHARS} base64url characters (${TOKEN_SECRET_BYTES} bytes), got ${secretText.length} characters`);
  const secret = Buffer.from(secretText, 'base64url');
  if (secret.length !== TOKEN_SECRET_BYTES || secret.toString('base64url') !== secretText) {
    throw new TokenFormatError('secret', `expected the base64url of ${TOKEN_SECRET_BYTES} bytes`);
  }
  return { orgId, address, id, secret };
}

export function isOrgId(value: string): boolean {
  return ORG_ID_PATTERN.test(value);
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}
