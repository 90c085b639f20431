// What exists on the host under a lab's name: its namespaces and its wireguard-go control sockets.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listNetns, WIREGUARD_SOCKET_DIR } from '@fortros/netlab';

export interface Leftovers {
  namespaces: string[];
  /** Absolute paths. */
  sockets: string[];
}

/** Namespaces `LAB-…` and sockets `LABw<i>.sock` (lab names hold no `-`, and a socket name ends in digits, so `lab1` never takes `lab12-…` or `lab1w2w1.sock`). */
export async function labLeftovers(name: string): Promise<Leftovers> {
  const namespaces = (await listNetns()).filter((n) => n.startsWith(`${name}-`));
  let files: string[] = [];
  try {
    files = readdirSync(WIREGUARD_SOCKET_DIR);
  } catch {
    /* no socket directory: no sockets */
  }
  const own = new RegExp(`^${name}w\\d+\\.sock$`);
  return { namespaces, sockets: files.filter((f) => own.test(f)).map((f) => join(WIREGUARD_SOCKET_DIR, f)) };
}
