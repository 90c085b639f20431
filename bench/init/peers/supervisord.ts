// supervisord as a peer: one [program:x] per service, all started at once (it has no dependencies and no readiness),
// controlled over a unix socket (no inet_http_server); its log says when each program entered RUNNING.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMAND_TIMEOUT_MS, SUPERVISORD_STARTSECS } from '../constants.js';
import { programScript, writeExecutable } from '../program.js';
import type { LaunchSpec } from '../processes.js';
import { missingBinaries, type Peer, type RunDirs, type ServiceDef } from './peer.js';

const run = promisify(execFile);

function config(dir: string, services: readonly ServiceDef[]): string {
  const lines = [
    '[unix_http_server]',
    `file=${join(dir, 'supervisor.sock')}`,
    'chmod=0700',
    '[supervisord]',
    'nodaemon=true',
    `logfile=${join(dir, 'supervisord.log')}`,
    `pidfile=${join(dir, 'supervisord.pid')}`,
    `childlogdir=${join(dir, 'logs')}`,
    'loglevel=info',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    `serverurl=unix://${join(dir, 'supervisor.sock')}`,
  ];
  for (const s of services) {
    lines.push(`[program:${s.name}]`, `command=${join(dir, 'programs', s.name)}`, `startsecs=${SUPERVISORD_STARTSECS}`, 'autorestart=true', 'stopsignal=TERM', 'stopwaitsecs=5');
  }
  return `${lines.join('\n')}\n`;
}

/** `2026-11-22 07:40:00,123 INFO success: f1 entered RUNNING state, …` (local time, ms). */
const RUNNING = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) INFO success: (\S+) entered RUNNING state/;

export const supervisord: Peer = {
  name: 'supervisord',
  noChain: 'no dependencies, no readiness',

  missing: () => missingBinaries(['supervisord', 'supervisorctl'], 'supervisor'),

  async prepare(rd: RunDirs, services: readonly ServiceDef[]): Promise<LaunchSpec> {
    if (services.some((s) => s.after)) throw new Error('supervisord cannot express a dependency');
    await mkdir(join(rd.dir, 'programs'), { recursive: true });
    await mkdir(join(rd.dir, 'logs'), { recursive: true });
    for (const s of services) await writeExecutable(join(rd.dir, 'programs', s.name), programScript({ stamps: rd.stamps, name: s.name, notify: false }));
    const conf = join(rd.dir, 'supervisord.conf');
    await writeFile(conf, config(rd.dir, services));
    return { file: 'supervisord', args: ['-n', '-c', conf], cwd: rd.dir, stopSignal: 'SIGTERM' };
  },

  /** `ctl RUNNING` = how many programs `supervisorctl status`, over the unix socket, calls RUNNING. */
  async whileUp(rd) {
    const ctl = await run('supervisorctl', ['-c', join(rd.dir, 'supervisord.conf'), 'status'], { timeout: COMMAND_TIMEOUT_MS }).then(
      (r) => r.stdout,
      (err: { stdout?: string }) => err.stdout ?? '', // it exits non-zero unless every program is RUNNING
    );
    return { 'ctl RUNNING': ctl.split('\n').filter((l) => /\sRUNNING\s/.test(l)).length };
  },

  /** `all RUNNING` = spawn → the last program's first "entered RUNNING state" in its log (ms, local time). */
  async analyse(rd, _lines, t0): Promise<Record<string, number>> {
    const log = await readFile(join(rd.dir, 'supervisord.log'), 'utf8').catch(() => '');
    const first = new Map<string, number>(); // a restart logs RUNNING again: the boot is each program's first
    for (const line of log.split('\n')) {
      const m = RUNNING.exec(line);
      if (m && !first.has(m[4]!)) first.set(m[4]!, Date.parse(`${m[1]}T${m[2]}.${m[3]}`));
    }
    return first.size ? { 'all RUNNING': Math.max(...first.values()) - Number(t0 / 1_000_000n) } : {};
  },
};
