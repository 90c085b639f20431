// Service names: validation, templates (`name@`) and their instances (`name@param`).
import { MAX_SERVICE_NAME_LENGTH, SERVICE_NAME_PATTERN } from './constants.js';

export function isValidServiceName(name: string): boolean {
  return name.length <= MAX_SERVICE_NAME_LENGTH && SERVICE_NAME_PATTERN.test(name);
}

/** `getty@` is a template (nitro): it is never a service itself, only instantiated. */
export function isTemplateName(name: string): boolean {
  return name.endsWith('@');
}

/** `getty@tty1` → `{ template: 'getty@', param: 'tty1' }` (split at the first `@`); undefined if not an instance name. */
export function splitInstanceName(name: string): { template: string; param: string } | undefined {
  const at = name.indexOf('@');
  if (at <= 0 || at === name.length - 1) return undefined;
  return { template: name.slice(0, at + 1), param: name.slice(at + 1) };
}
