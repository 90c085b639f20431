// Service trees as plain objects, written to disk in the s6-rc source format fortros-init reads (node trees, test trees).
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServiceSpec {
  type: 'longrun' | 'oneshot' | 'bundle';
  /** Script bodies; `#!/bin/sh` is prepended unless they start with `#!`. */
  run?: string;
  finish?: string;
  /**
   * Oneshot commands as shell text: written as `sh -c "…"` (execline quoting), since init reads `up`/`down` with
   * execline's lexer as s6-rc does. Give an execline `up` of your own in `files`.
   */
  up?: string;
  down?: string;
  dependencies?: string[];
  contents?: string[];
  notificationFd?: number;
  timeoutUp?: number;
  timeoutDown?: number;
  timeoutKill?: number;
  downSignal?: string;
  restartDelayMax?: number;
  essential?: boolean;
  /** Log pipelines: `producer-for`, `consumer-for`, `pipeline-name`. */
  producerFor?: string;
  consumerFor?: string[];
  pipelineName?: string;
  env?: Record<string, string>;
  /** Raw extra files (relative path → content), e.g. to break a service on purpose. */
  files?: Record<string, string>;
}

export type TreeSpec = Record<string, ServiceSpec>;

const script = (body: string): string => (body.startsWith('#!') ? body : `#!/bin/sh\n${body}\n`);
/** Shell text as one execline command line: `sh -c "…"`, with `\\` and `"` escaped as execline wants. */
export const shInExecline = (text: string): string => `sh -c "${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"\n`;

/** Remove services from a tree written by writeTree (a rescan test deletes them). */
export async function removeServices(dir: string, names: string[]): Promise<void> {
  for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
}

export async function writeTree(dir: string, tree: TreeSpec): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, s] of Object.entries(tree)) {
    const d = join(dir, name);
    await mkdir(d, { recursive: true });
    const put = async (file: string, content: string, exec = false): Promise<void> => {
      await mkdir(join(d, file, '..'), { recursive: true });
      await writeFile(join(d, file), content);
      if (exec) await chmod(join(d, file), 0o755);
    };
    await put('type', `${s.type}\n`);
    if (s.run !== undefined) await put('run', script(s.run), true);
    if (s.finish !== undefined) await put('finish', script(s.finish), true);
    if (s.up !== undefined) await put('up', shInExecline(s.up));
    if (s.down !== undefined) await put('down', shInExecline(s.down));
    if (s.dependencies) await put('dependencies', s.dependencies.map((x) => `${x}\n`).join(''));
    if (s.contents) await put('contents', s.contents.map((x) => `${x}\n`).join(''));
    if (s.notificationFd !== undefined) await put('notification-fd', `${s.notificationFd}\n`);
    if (s.timeoutUp !== undefined) await put('timeout-up', `${s.timeoutUp}\n`);
    if (s.timeoutDown !== undefined) await put('timeout-down', `${s.timeoutDown}\n`);
    if (s.timeoutKill !== undefined) await put('timeout-kill', `${s.timeoutKill}\n`);
    if (s.downSignal !== undefined) await put('down-signal', `${s.downSignal}\n`);
    if (s.restartDelayMax !== undefined) await put('restart-delay-max', `${s.restartDelayMax}\n`);
    if (s.essential) await put('flag-essential', '');
    if (s.producerFor !== undefined) await put('producer-for', `${s.producerFor}\n`);
    if (s.consumerFor) await put('consumer-for', s.consumerFor.map((x) => `${x}\n`).join(''));
    if (s.pipelineName !== undefined) await put('pipeline-name', `${s.pipelineName}\n`);
    for (const [k, v] of Object.entries(s.env ?? {})) await put(join('env', k), `${v}\n`);
    for (const [k, v] of Object.entries(s.files ?? {})) await put(k, v);
  }
}
