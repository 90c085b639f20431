// Key service fixtures: a service tree with fortros-keys and client services that run `fortctl key derive`, fortctl
// as a child process, and the DESIGN §7 derivation computed independently of apps/key-service.
import { spawn } from 'node:child_process';
import { hkdfSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NODE_PATHS } from '@fortros/core';
import { FORTCTL_MAIN } from './ctl.js';
import type { ServiceSpec, TreeSpec } from './tree.js';
import { waitForLines, type WaitOptions } from './wait.js';
import { KEYS_MAIN } from '@fortros/lab';

export { KEYS_MAIN }; // where the built program is: @fortros/lab names every one (apps/lab/src/binaries.ts)
/** fortctl as the tests run it (the bundle). */
export { FORTCTL_MAIN };
export const KEYS_SOCKET = NODE_PATHS.keysSocket;
export const MASTER_KEY = NODE_PATHS.masterKey;
/** Where client services write what fortctl printed, under the root. */
export const CLIENT_OUT_DIR = 'clients';

/** The key-service longrun: fortros-keys under init, ready on fd 3. `args` are appended (e.g. --policy). */
export function keyService(args = ''): ServiceSpec {
  return {
    type: 'longrun',
    notificationFd: 3,
    run: `exec "${process.execPath}" "${KEYS_MAIN}" --root "$FORTROS_ROOT" --notify-fd 3 --log-format json ${args}`,
  };
}

/**
 * A client longrun: its run script (the main pid, a shell) runs `fortctl key derive --purpose P --json` once per
 * purpose, writing clients/NAME.P.json, .err, and last .rc (the exit code), then stays up.
 */
export function keyClient(name: string, purposes: readonly string[], extraFlags = ''): ServiceSpec {
  const lines = purposes.map((p) => {
    const out = `"$FORTROS_ROOT/${CLIENT_OUT_DIR}/${name}.${p}"`;
    return `"${process.execPath}" "${FORTCTL_MAIN}" --root "$FORTROS_ROOT" key derive --purpose ${p} --json ${extraFlags} > ${out}.json 2> ${out}.err\necho $? > ${out}.rc`;
  });
  return {
    type: 'longrun',
    dependencies: ['key-service'],
    run: [`mkdir -p "$FORTROS_ROOT/${CLIENT_OUT_DIR}"`, ...lines, 'exec sleep 100000'].join('\n'),
  };
}

/** key-service, one client per entry of `clients`, and the default bundle of them all. */
export function keysTree(clients: Record<string, readonly string[]>, keyServiceArgs = ''): TreeSpec {
  const tree: TreeSpec = { 'key-service': keyService(keyServiceArgs) };
  for (const [name, purposes] of Object.entries(clients)) tree[name] = keyClient(name, purposes);
  tree['default'] = { type: 'bundle', contents: ['key-service', ...Object.keys(clients)] };
  return tree;
}

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What client NAME got for purpose P (waits for its .rc file, written last). */
export async function clientResult(root: string, name: string, purpose: string, options: WaitOptions = {}): Promise<ClientResult> {
  const base = `${root}/${CLIENT_OUT_DIR}/${name}.${purpose}`;
  const [rc] = await waitForLines(`${base}.rc`, 1, options);
  return { code: Number(rc), stdout: await readFile(`${base}.json`, 'utf8'), stderr: await readFile(`${base}.err`, 'utf8') };
}

export interface DerivedJson {
  service: string;
  purpose: string;
  version: number;
  length: number;
  keyId: string;
  key: string;
}

/** Run the built fortctl from the test process (which no init supervises). */
export function fortctl(args: readonly string[]): Promise<ClientResult & { stdoutBytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FORTCTL_MAIN, ...args], { env: { ...process.env, FORTROS_ROOT: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code: code ?? -1, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr });
    });
  });
}

/**
 * DESIGN §7, written out again here on purpose (not imported from apps/key-service):
 * HKDF-SHA256(master, salt = empty, info = "fortros/key/v1" ‖ lp(service) ‖ lp(purpose) ‖ u32be(version) ‖ u16be(length), length).
 */
export function expectedKey(master: Buffer, service: string, purpose: string, version = 1, length = 32): Buffer {
  const lp = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    const l = Buffer.alloc(2);
    l.writeUInt16BE(b.length);
    return Buffer.concat([l, b]);
  };
  const tail = Buffer.alloc(6);
  tail.writeUInt32BE(version, 0);
  tail.writeUInt16BE(length, 4);
  const info = Buffer.concat([Buffer.from('fortros/key/v1'), lp(service), lp(purpose), tail]);
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, length));
}
