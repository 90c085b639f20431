// Test fixture: builds real service-tree directories under a fresh temp dir (mkdtemp) from a compact spec.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file's content; `exec()` makes it executable, `DIR` makes an (empty) directory, `link()` a symlink. */
export type Entry = string | { content: string; mode: number } | typeof DIR | { symlinkTo: string };
export type ServiceSpec = Record<string, Entry>;
export type TreeSpec = Record<string, ServiceSpec>;

export const DIR = Symbol('dir');
export const exec = (content = '#!/bin/sh\nexit 0\n'): Entry => ({ content, mode: 0o755 });
export const link = (target: string): Entry => ({ symlinkTo: target });

export const longrun = (extra: ServiceSpec = {}): ServiceSpec => ({ type: 'longrun\n', run: exec(), ...extra });
export const oneshot = (extra: ServiceSpec = {}): ServiceSpec => ({ type: 'oneshot\n', up: 'true\n', ...extra });
export const bundle = (members: string[], extra: ServiceSpec = {}): ServiceSpec => ({
  type: 'bundle\n',
  contents: members.map((m) => `${m}\n`).join(''),
  ...extra,
});

/** Temp dirs made by this process, removed by `cleanup()`. */
const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'servicedir-test-'));
  made.push(dir);
  return dir;
}

export async function cleanup(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Write `spec` under `dir` (one sub-directory per service); returns `dir`. */
export async function writeTree(dir: string, spec: TreeSpec): Promise<string> {
  for (const [service, files] of Object.entries(spec)) {
    const sdir = join(dir, service);
    await mkdir(sdir, { recursive: true });
    for (const [file, entry] of Object.entries(files)) {
      const path = join(sdir, file);
      await mkdir(dirname(path), { recursive: true });
      if (entry === DIR) await mkdir(path, { recursive: true });
      else if (typeof entry === 'string') await writeFile(path, entry, { mode: 0o644 });
      else if ('symlinkTo' in entry) await symlink(entry.symlinkTo, path);
      else {
        await writeFile(path, entry.content);
        await chmod(path, entry.mode);
      }
    }
  }
  return dir;
}

/** A fresh temp source directory holding `spec`. */
export async function makeTree(spec: TreeSpec): Promise<string> {
  return writeTree(await tempDir(), spec);
}
