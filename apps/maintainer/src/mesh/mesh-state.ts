// persist/maintainer/mesh.json: this node's membership of an org on the mesh (org id, overlay range and address, the
// first peers), written durably once admitted or on founding the org, so a restart rejoins without a token.
import { join } from 'node:path';
import { MESH_STATE_MAX_BYTES } from '../constants.js';
import { MeshSetupError } from '../errors.js';
import { readIfExists, writeFileDurably } from '../org/store-files.js';
import type { AnswerPeer } from '../admission/admission-crypto.js';

export const MESH_STATE_FILE = 'mesh.json';
const VERSION = 1;

export interface MeshState {
  orgId: string;
  overlayRange: string;
  overlayIp: string;
  /** The peers the admission answer named (the issuer first); empty on the org's first node. */
  peers: AnswerPeer[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Reads the state in `dir`, or undefined when the node never joined; a damaged file is a MeshSetupError naming it. */
export async function loadMeshState(dir: string): Promise<MeshState | undefined> {
  const file = join(dir, MESH_STATE_FILE);
  const buf = await readIfExists(file);
  if (buf === null) return undefined;
  const bad = (why: string): never => {
    throw new MeshSetupError(file, why);
  };
  if (buf.length > MESH_STATE_MAX_BYTES) bad(`expected at most ${MESH_STATE_MAX_BYTES} bytes, got ${buf.length}`);
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    return bad('expected JSON');
  }
  const o = (typeof v === 'object' && v !== null ? v : bad('expected an object')) as Record<string, unknown>;
  if (o.version !== VERSION) bad(`version: expected ${VERSION}, got ${JSON.stringify(o.version)}`);
  const str = (k: string): string => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : bad(`${k}: expected a non-empty string`));
  const overlayIp = str('overlayIp');
  if (!IPV4.test(overlayIp)) bad(`overlayIp: expected an IPv4 address, got ${JSON.stringify(overlayIp)}`);
  if (!Array.isArray(o.peers)) bad('peers: expected an array');
  const peers = (o.peers as unknown[]).map((p, i) => {
    const r = (typeof p === 'object' && p !== null ? p : bad(`peers[${i}]: expected an object`)) as Record<string, unknown>;
    for (const k of ['publicKey', 'endpoint', 'overlayIp']) if (typeof r[k] !== 'string') bad(`peers[${i}].${k}: expected a string`);
    return { publicKey: r.publicKey as string, endpoint: r.endpoint as string, overlayIp: r.overlayIp as string };
  });
  return { orgId: str('orgId'), overlayRange: str('overlayRange'), overlayIp, peers };
}

export async function saveMeshState(dir: string, state: MeshState): Promise<void> {
  await writeFileDurably(dir, MESH_STATE_FILE, Buffer.from(`${JSON.stringify({ version: VERSION, ...state })}\n`));
}
