// The checks themselves: run a command in the service's environment, connect to a TCP port, or GET a URL; each
// bounded by its timeout (an exec check's process group is killed) and abortable. They report, never decide.
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { describeHealthProbe, type HealthProbe } from '@fortros/servicedir';
import type { Clock } from '../clock.js';
import { MAX_HEALTH_MESSAGE_CHARS, MAX_HEALTH_OUTPUT_BYTES } from '../constants.js';
import type { Spawner } from '../process/spawner.js';

export interface ProbeOutcome {
  ok: boolean;
  /** What happened, prefixed by the check (`tcp 127.0.0.1:8080: connection refused`). */
  message: string;
}

export interface ProbeContext {
  /** The service's directory: an exec check's working directory. */
  dir: string;
  /** The service's environment (init's own with `env/` merged over it). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Aborted when the result is no longer wanted (the service left ready); the check is then cut short. */
  signal: AbortSignal;
}

/** Runs one check to its outcome; never rejects. */
export interface HealthProber {
  run(probe: HealthProbe, ctx: ProbeContext): Promise<ProbeOutcome>;
}

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (temporary)',
};

const clip = (s: string): string => (s.length > MAX_HEALTH_MESSAGE_CHARS ? `${s.slice(0, MAX_HEALTH_MESSAGE_CHARS)}…` : s);
const errText = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && ERRNO_TEXT[code]) ?? (code || (err as Error).message || String(err));
};

/**
 * One check with its bounds: `start` begins it and returns how to stop it early; `finish` settles once. The
 * timeout and the abort both call the stopper, and the outcome is decided by whoever came first.
 */
function bounded(clock: Clock, probe: HealthProbe, ctx: ProbeContext, start: (finish: (ok: boolean, detail: string) => void) => () => void): Promise<ProbeOutcome> {
  const what = describeHealthProbe(probe);
  return new Promise((resolve) => {
    let done = false;
    let stop: () => void = () => undefined;
    const finish = (ok: boolean, detail: string): void => {
      if (done) return;
      done = true;
      timer.cancel();
      ctx.signal.removeEventListener('abort', onAbort);
      stop();
      resolve({ ok, message: clip(`${what}: ${detail}`) });
    };
    const timer = clock.setTimer(ctx.timeoutMs, () => finish(false, `timed out after ${ctx.timeoutMs} ms`));
    const onAbort = (): void => finish(false, 'cancelled');
    ctx.signal.addEventListener('abort', onAbort);
    if (ctx.signal.aborted) return onAbort();
    stop = start(finish);
    if (done) stop();
  });
}

export function createHealthProber(c: { clock: Clock; spawner: Spawner }): HealthProber {
  return {
    run(probe, ctx) {
      switch (probe.kind) {
        case 'exec':
          return bounded(c.clock, probe, ctx, (finish) => runCommand(c.spawner, probe.command, ctx, finish));
        case 'tcp':
          return bounded(c.clock, probe, ctx, (finish) => {
            const socket = connect({ host: probe.host, port: probe.port });
            socket.once('connect', () => finish(true, 'connected'));
            socket.once('error', (err) => finish(false, errText(err)));
            return () => socket.destroy();
          });
        case 'http':
          return bounded(c.clock, probe, ctx, (finish) => {
            const req: ClientRequest = requestOf(probe.url)(probe.url, { method: 'GET' }, (res) => {
              res.resume(); // the body is not looked at
              const code = res.statusCode ?? 0;
              finish(code >= 200 && code < 400, `status ${code}`);
            });
            req.once('error', (err) => finish(false, errText(err)));
            req.end();
            return () => req.destroy();
          });
      }
    },
  };
}

const load = createRequire(import.meta.url);

/**
 * node:http's or node:https's request, loaded at the first http check: most trees have none, and boot does not pay
 * for them (https brings tls and crypto: ~5 ms here).
 */
function requestOf(url: string): typeof import('node:http').request {
  return url.startsWith('https:') ? (load('node:https') as typeof import('node:https')).request : (load('node:http') as typeof import('node:http')).request;
}

/**
 * `/bin/sh -c COMMAND` in the service's directory and environment, in its own process group, which gets SIGKILL
 * once the check is over: on timeout or abort, and after its exit (whatever it left running in the background).
 */
function runCommand(spawner: Spawner, command: string, ctx: ProbeContext, finish: (ok: boolean, detail: string) => void): () => void {
  let child;
  try {
    child = spawner.spawn({ file: '/bin/sh', args: ['-c', command], cwd: ctx.dir, env: ctx.env });
  } catch (err) {
    finish(false, `cannot run: ${(err as Error).message}`);
    return () => undefined;
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  const keep = (b: Buffer): void => {
    if (kept >= MAX_HEALTH_OUTPUT_BYTES) return;
    chunks.push(b.subarray(0, MAX_HEALTH_OUTPUT_BYTES - kept));
    kept += Math.min(b.length, MAX_HEALTH_OUTPUT_BYTES - kept);
  };
  child.stdout?.on('data', keep);
  child.stderr.on('data', keep);
  child.onExit((code, signal) => {
    const last = Buffer.concat(chunks).toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '').pop();
    const status = signal !== null ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
    finish(code === 0, last ? `${status}: ${last}` : status);
  });
  const pid = child.pid;
  return () => {
    spawner.killGroup(pid, 'SIGKILL'); // on timeout or abort, and what the check left behind (as a run's group)
    child.stdout?.destroy();
    child.stderr.destroy();
  };
}
