// assertNever: the default branch of an exhaustive switch, so a new state or event is a compile error (STYLE §5).

/** Unreachable when the switch covers every case; at run time (a value from outside the types) it throws. */
export function assertNever(x: never): never {
  throw new TypeError(`unexpected value ${JSON.stringify(x)}`);
}
