// HOST:PORT, the one syntax of every listen and peer address on a command line (`127.0.0.1:9101`, `[::1]:9101`).

export interface HostPort {
  host: string;
  port: number;
}

/** `HOST:PORT` (an IPv6 host in brackets) with a port 1..65535 (0 too when `allowZero`); undefined when malformed. */
export function checkHostPort(text: string, allowZero = false): HostPort | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535 || (port === 0 && !allowZero)) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** The inverse of checkHostPort: `host:port`, brackets around an IPv6 host. */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}
