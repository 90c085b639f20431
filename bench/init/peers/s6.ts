// s6 as a peer (no s6-rc in Debian): a scan directory for s6-svscan, one s6-supervise per service, readiness on
// notification-fd 3, and a dependency the s6 way without s6-rc: the run script first waits with `s6-svwait -U` for its
// predecessor's up-and-ready event, then becomes the program.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S6_SVWAIT_TIMEOUT_MS } from '../constants.js';
import { programScript, writeExecutable } from '../program.js';
import type { LaunchSpec } from '../processes.js';
import { missingBinaries, type Peer, type RunDirs, type ServiceDef } from './peer.js';

export const s6: Peer = {
  name: 's6',

  missing: () => missingBinaries(['s6-svscan', 's6-supervise', 's6-svwait'], 's6'),

  async prepare(run: RunDirs, services: readonly ServiceDef[]): Promise<LaunchSpec> {
    const scan = join(run.dir, 'scan');
    for (const s of services) {
      const d = join(scan, s.name);
      await mkdir(d, { recursive: true });
      await writeFile(join(d, 'notification-fd'), '3\n');
      // s6-svwait exits 111 when the predecessor's s6-supervise has not written its status yet (they all start at
      // once): the run script fails and s6-supervise runs it again a second later. Counted by retries().
      const waitLine = s.after ? `s6-svwait -U -t ${S6_SVWAIT_TIMEOUT_MS} '${join(scan, s.after)}' || exit 1` : undefined;
      await writeExecutable(join(d, 'run'), programScript({ stamps: run.stamps, name: s.name, notify: true, waitLine }));
    }
    return { file: 's6-svscan', args: [scan], cwd: run.dir, stopSignal: 'SIGTERM' };
  },

  retries: (lines) => lines.filter((l) => l.startsWith('s6-svwait: fatal')).length,
};
