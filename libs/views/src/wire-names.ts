// Wire enum values → fortctl's names by one rule (PREFIX + NAME in upper case ↔ name), for every enum fortctl shows.

/** `{ [prefix + NAME]: name }` for each name: e.g. SERVICE_STATE_READY → ready. */
export function byWire<N extends string>(prefix: string, names: readonly N[]): Record<string, N> {
  return Object.fromEntries(names.map((n) => [`${prefix}${n.toUpperCase()}`, n]));
}
