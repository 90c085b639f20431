// runit as a peer: a scan directory for runsvdir, one runsv per service, and the runit idiom for a dependency: the
// run script starts with `sv -w SECS check <predecessor>` and exits non-zero (runsv runs it again a second later) when
// that fails. Readiness: the predecessor's `check` script (sv check runs it) passes once its program wrote its stamp.
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { SCANDIR_BACKDATE_S, SV_WAIT_S } from '../constants.js';
import { programScript, writeExecutable } from '../program.js';
import type { LaunchSpec } from '../processes.js';
import { missingBinaries, type Peer, type RunDirs, type ServiceDef } from './peer.js';

export const runit: Peer = {
  name: 'runit',

  missing: () => missingBinaries(['runsvdir', 'runsv', 'sv'], 'runit'),

  async prepare(run: RunDirs, services: readonly ServiceDef[]): Promise<LaunchSpec> {
    const scan = join(run.dir, 'scan');
    for (const s of services) {
      const d = join(scan, s.name);
      await mkdir(d, { recursive: true });
      // sv's messages (ok:, warning:, fail:, timeout:) go to stderr, where retries() counts the failed ones.
      const waitLine = s.after ? `sv -w ${SV_WAIT_S} check '${join(scan, s.after)}' >&2 || exit 1` : undefined;
      await writeExecutable(join(d, 'run'), programScript({ stamps: run.stamps, name: s.name, notify: false, waitLine }));
      await writeExecutable(join(d, 'check'), `#!/bin/sh\ntest -e '${join(run.stamps, s.name)}'\n`);
    }
    // runsvdir does not scan a directory modified in the current second (it looks again a second later): a boot
    // does not write /etc/service just before runsvdir starts, so neither does the bench.
    const past = Date.now() / 1000 - SCANDIR_BACKDATE_S;
    await utimes(scan, past, past);
    return { file: 'runsvdir', args: ['-P', scan], cwd: run.dir, stopSignal: 'SIGHUP' };
  },

  retries: (lines) => lines.filter((l) => /^(warning|fail|timeout): /.test(l)).length,
};
