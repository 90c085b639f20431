// Error classes of @fortros/swim: one per condition, branch on the class.

/** An option or member field failed validation; the message names the field and the value. */
export class SwimOptionsError extends Error {
  override name = 'SwimOptionsError';
}

/** An address string is not `host:port` (IPv4, [IPv6] or a name). */
export class SwimAddressError extends Error {
  override name = 'SwimAddressError';
}

/** The transport failed to bind or was used before start(). */
export class SwimTransportError extends Error {
  override name = 'SwimTransportError';
}
