// Test fixture: a stand-in for fortros-init's control API serving only ListServices from in-test state, so the
// key service's server can be unit-tested alone. The black-box tests in test/keys/ use the real fortros-init.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitV1 } from '@fortros/proto';
import { defineService, RpcServer, UnavailableError, type AnyHandler, type AsyncHandlers } from '@fortros/rpc';
import type { Logger } from '@fortros/log';

export interface FixtureService {
  name: string;
  pid: number;
  /** Recorded start time (clock ticks since boot); 0 = unknown. Default: the real one of pid, from /proc. */
  pidStartTime?: number;
}

/** Field 22 of /proc/PID/stat. */
export function procStartTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

export class FixtureInitServer {
  services: FixtureService[] = [];
  /** When true, ListServices fails with UNAVAILABLE. */
  failing = false;
  listCalls = 0;
  readonly socketPath: string;
  private readonly server: RpcServer;

  constructor(dir: string, logger: Logger) {
    this.socketPath = join(dir, 'fixture-init.sock');
    const notHere: AnyHandler = () => Promise.reject(new UnavailableError('not served by the fixture'));
    const handlers: Record<string, AnyHandler> = {};
    for (const name of Object.keys(InitV1.loadInitApi().definition)) handlers[name] = notHere;
    handlers['ListServices'] = async () => {
      this.listCalls++;
      if (this.failing) throw new UnavailableError('fixture: failing on purpose');
      return {
        services: this.services.map((s) => ({
          name: s.name,
          type: 'SERVICE_TYPE_LONGRUN',
          state: 'SERVICE_STATE_READY',
          pid: s.pid,
          ready: true,
          pidStartTime: s.pidStartTime ?? procStartTime(s.pid),
        })),
      };
    };
    this.server = new RpcServer({ socketPath: this.socketPath, services: [defineService(InitV1.loadInitApi(), handlers as unknown as AsyncHandlers<InitV1.InitHandlers>)], logger }); // every method filled in above, at run time
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
