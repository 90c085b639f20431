// Error classes of libs/wireguard, one per condition. None ever carries a private key.

/** A wg or ip command exited non-zero. */
export class WgCommandError extends Error {
  override name = 'WgCommandError';
  constructor(
    readonly interfaceName: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`${interfaceName}: \`${command}\` failed (exit ${exitCode ?? 'none'}): ${stderr.trim() || '(no stderr)'}`);
  }
}

/** A wg or ip command ran past its timeout and was killed. */
export class WgTimeoutError extends Error {
  override name = 'WgTimeoutError';
  constructor(
    readonly interfaceName: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${interfaceName}: \`${command}\` did not finish within ${timeoutMs} ms and was killed`);
  }
}

/** A key is not 32 bytes of base64. `field` names it; the value is never included. */
export class InvalidKeyError extends Error {
  override name = 'InvalidKeyError';
  constructor(readonly field: string) {
    super(`${field}: expected a WireGuard key (44 characters of base64, 32 bytes)`);
  }
}

/** An argument (interface name, port, address, MTU, endpoint, peer list) is malformed or out of bounds. */
export class InvalidArgumentError extends Error {
  override name = 'InvalidArgumentError';
  constructor(
    readonly field: string,
    expected: string,
    got: unknown,
  ) {
    super(`${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  }
}

/** `wg show NAME dump` printed something this parser does not understand. */
export class DumpParseError extends Error {
  override name = 'DumpParseError';
  constructor(
    readonly interfaceName: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${interfaceName}: \`wg show ${interfaceName} dump\` line ${line}: ${reason}`);
  }
}

/** The kernel backend was asked for but the kernel has no WireGuard. */
export class KernelUnsupportedError extends Error {
  override name = 'KernelUnsupportedError';
  constructor(
    readonly interfaceName: string,
    readonly stderr: string,
  ) {
    super(`${interfaceName}: the kernel has no WireGuard support (ip link add … type wireguard: ${stderr.trim()})`);
  }
}

/** wireguard-go exited or timed out before its interface appeared. */
export class UserspaceStartError extends Error {
  override name = 'UserspaceStartError';
  constructor(
    readonly interfaceName: string,
    reason: string,
    readonly output: string,
  ) {
    super(`${interfaceName}: wireguard-go did not create the interface: ${reason}${output.trim() ? `; its output: ${output.trim()}` : ''}`);
  }
}
