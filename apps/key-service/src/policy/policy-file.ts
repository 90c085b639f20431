// The --policy JSON file: read, validate (errors name the file and the field), and turn into a Policy.
import { expectedGot } from '@fortros/core';
import { readFile, stat } from 'node:fs/promises';
import {
  MAX_POLICY_ENTRIES,
  MAX_POLICY_FILE_BYTES,
  MAX_POLICY_PURPOSES,
  NAME_PATTERN_TEXT,
  WORKLOAD_SUBJECT_PREFIX,
} from '../constants.js';
import { isValidName } from '../crypto/derivation.js';
import { PolicyFileError } from '../errors.js';
import { keySubject } from '../attribution/identity.js';
import { DEFAULT_RULES, type DefaultRule, type Policy } from './policy.js';

const TOP_LEVEL_FIELDS = ['default', 'services', 'workloads'];
const ENTRY_FIELDS = ['purposes'];

/** Read and validate a policy file. Throws PolicyFileError naming the file and the field. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new PolicyFileError(`policy ${path}: expected a regular file`, path, '');
    if (st.size > MAX_POLICY_FILE_BYTES) {
      throw new PolicyFileError(
        `policy ${path}: expected at most ${MAX_POLICY_FILE_BYTES} bytes, got ${st.size}`,
        path,
        '',
      );
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof PolicyFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new PolicyFileError(`policy ${path}: could not read the file (${code})`, path, '', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PolicyFileError(`policy ${path}: not valid JSON (${(err as Error).message})`, path, '', { cause: err });
  }
  return parsePolicy(json, path);
}

/** Validate a parsed policy document; `path` only names the source in errors. */
export function parsePolicy(doc: unknown, path: string): Policy {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new PolicyFileError(`policy ${path}: ${field}: ${expectedGot(expected, got)}`, path, field);
  };
  if (!isObject(doc)) return fail('(top level)', 'an object', doc);
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) fail(key, `one of the fields ${TOP_LEVEL_FIELDS.join(', ')}`, key);
  }
  const rule = doc.default ?? 'allow-own';
  if (!DEFAULT_RULES.includes(rule as DefaultRule)) fail('default', `"allow-own" or "deny"`, rule);

  let entries = 0;
  const table = (field: 'services' | 'workloads'): Map<string, ReadonlySet<string>> => {
    const raw = doc[field] ?? {};
    if (!isObject(raw)) return fail(field, 'an object of name → { "purposes": [...] }', raw);
    const out = new Map<string, ReadonlySet<string>>();
    for (const [name, entry] of Object.entries(raw)) {
      const at = `${field}.${name}`;
      if (++entries > MAX_POLICY_ENTRIES) fail(at, `at most ${MAX_POLICY_ENTRIES} entries in all`, entries);
      checkName(field, name, fail);
      if (!isObject(entry)) fail(at, 'an object { "purposes": [...] }', entry);
      const e = entry as Record<string, unknown>;
      for (const key of Object.keys(e)) {
        if (!ENTRY_FIELDS.includes(key)) fail(`${at}.${key}`, `one of the fields ${ENTRY_FIELDS.join(', ')}`, key);
      }
      const purposes = e.purposes;
      if (!Array.isArray(purposes)) fail(`${at}.purposes`, 'an array of purpose names', purposes);
      const list = purposes as unknown[];
      if (list.length > MAX_POLICY_PURPOSES) {
        fail(`${at}.purposes`, `at most ${MAX_POLICY_PURPOSES} purposes`, list.length);
      }
      list.forEach((p, i) => {
        if (!isValidName(p)) fail(`${at}.purposes[${i}]`, `a purpose matching ${NAME_PATTERN_TEXT}`, p);
      });
      out.set(name, new Set(list as string[]));
    }
    return out;
  };
  return { source: path, default: rule as DefaultRule, services: table('services'), workloads: table('workloads') };
}

function checkName(
  field: 'services' | 'workloads',
  name: string,
  fail: (field: string, expected: string, got: unknown) => never,
): void {
  if (field === 'services') {
    if (!isValidName(name)) fail(`services.${name}`, `a service name matching ${NAME_PATTERN_TEXT}`, name);
    if (name.startsWith(WORKLOAD_SUBJECT_PREFIX)) {
      fail(`services.${name}`, `a service name not starting with "${WORKLOAD_SUBJECT_PREFIX}" (reserved)`, name);
    }
  } else if (!isValidName(keySubject({ kind: 'workload', name }))) {
    fail(`workloads.${name}`, `a workload id such that "${WORKLOAD_SUBJECT_PREFIX}<id>" matches ${NAME_PATTERN_TEXT}`, name);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
