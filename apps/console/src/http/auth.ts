// The credential check for a console listening beyond loopback: a bearer token or a basic-auth password, compared in
// constant time (timingSafeEqual over SHA-256 digests, so lengths leak nothing either).
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MAX_TOKEN_FILE_BYTES, MIN_TOKEN_CHARS } from '../constants.js';
import { TokenFileError } from '../errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Whether `candidate` equals `token`, in time independent of where they differ. */
export function sameSecret(candidate: string, token: string): boolean {
  return timingSafeEqual(digest(candidate), digest(token));
}

/**
 * Whether an Authorization header carries `token`: `Bearer <token>`, or `Basic base64(user:<token>)` (any user name,
 * so a browser's own login prompt works). Anything else, including no header, is refused.
 */
export function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  if (m[1]!.toLowerCase() === 'bearer') return sameSecret(m[2]!, token);
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && sameSecret(decoded.slice(colon + 1), token);
}

/** The credential in `file`: its first line, trimmed; TokenFileError naming the file when unreadable, too long or too short. */
export async function readTokenFile(file: string): Promise<string> {
  let text: Buffer;
  try {
    text = await readFile(file);
  } catch (err) {
    throw new TokenFileError(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  if (text.length > MAX_TOKEN_FILE_BYTES) throw new TokenFileError(file, `expected at most ${MAX_TOKEN_FILE_BYTES} bytes, got ${text.length}`);
  const token = text.toString('utf8').split('\n')[0]!.trim();
  if (token.length < MIN_TOKEN_CHARS) throw new TokenFileError(file, `expected a token of at least ${MIN_TOKEN_CHARS} characters on its first line, got ${token.length}`);
  return token;
}
