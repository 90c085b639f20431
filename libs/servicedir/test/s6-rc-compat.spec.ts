// An s6-rc source tree as found in the wild (execline oneshot, longrun with notification-fd 3, a logger
// pipeline, bundles, dependencies.d, data/ and other s6-only files) loads unchanged.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { join } from 'node:path';
import { formatCheckReport, loadServiceTree, topologicalOrder } from '../src/index.js';
import { DIR, cleanup, exec, makeTree } from './fixture.js';

after(cleanup);

const EXECLINE_UP = `if { mount -t tmpfs -o mode=0755 tmpfs /run }
if { mkdir -p /run/sshd }
s6-hiercopy /etc/run-image /run
`;
const SSHD_RUN = `#!/bin/execlineb -P
fdmove -c 2 1
/usr/sbin/sshd -D -e -o PidFile=none
`;
const LOG_RUN = `#!/bin/execlineb -P
s6-setuidgid log
s6-log -d3 n10 s1000000 T /var/log/sshd
`;

describe('s6-rc compatibility', () => {
  it('loads a typical s6-rc source tree unchanged', async () => {
    const src = await makeTree({
      'mount-run': { type: 'oneshot\n', up: EXECLINE_UP, down: 'umount /run\n', 'timeout-up': '10000\n' },
      'hostname': { type: 'oneshot\n', up: 'redirfd -r 0 /etc/hostname withstdinas -E H hostname $H\n', 'dependencies.d/mount-run': '' },
      sshd: {
        type: 'longrun\n', run: exec(SSHD_RUN), 'notification-fd': '3\n', 'producer-for': 'sshd-log\n',
        'dependencies.d/mount-run': '', 'dependencies.d/hostname': '', 'timeout-kill': '3000\n', 'down-signal': 'SIGHUP\n',
        'max-death-tally': '10\n', 'lock-fd': '4\n', data: DIR, 'data/config': 'x',
      },
      'sshd-log': {
        type: 'longrun\n', run: exec(LOG_RUN), 'notification-fd': '3\n', 'consumer-for': 'sshd\n',
        'pipeline-name': 'sshd-pipeline\n', 'dependencies.d/mount-run': '', 'flag-essential': '',
      },
      ok: { type: 'bundle\n', 'contents.d/sshd-pipeline': '', 'contents.d/hostname': '' },
    });
    const tree = await loadServiceTree(src);
    deepStrictEqual(formatCheckReport(tree).ok, true, formatCheckReport(tree).text);
    deepStrictEqual(tree.services.get('mount-run')!.up, { kind: 'execline', path: join(src, 'mount-run', 'up'), script: EXECLINE_UP });
    strictEqual(tree.services.get('mount-run')!.timeoutUpMs, 10000);
    const sshd = tree.services.get('sshd')!;
    strictEqual(sshd.notificationFd, 3);
    strictEqual(sshd.run, join(src, 'sshd', 'run'));
    strictEqual(sshd.downSignal, 'SIGHUP');
    strictEqual(sshd.timeoutKillMs, 3000);
    deepStrictEqual(sshd.dependencies, ['hostname', 'mount-run', 'sshd-log']); // a producer depends on its consumer
    deepStrictEqual(tree.services.get('sshd-pipeline')!.contents, ['sshd', 'sshd-log']);
    strictEqual(tree.services.get('sshd-log')!.essential, true);
    deepStrictEqual(topologicalOrder(tree), ['mount-run', 'hostname', 'sshd-log', 'sshd']); // consumer before producer (s6-rc)
  });
});
