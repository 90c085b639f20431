// The grpc-js target of an address: one rule for every client (generated, health, reflection).

/** `unix:/abs/path` for a socket path, else the address as given (`host:port`). */
export function targetFor(address: string): string {
  return address.startsWith('/') ? `unix:${address}` : address;
}
