// A Spawner that remembers which pids it spawned until their exit is delivered, so the orphan reaper
// never waits for (and steals the status of) a child whose exit the spawner will report.
import type { Spawner } from '../process/spawner.js';

export function trackingSpawner(inner: Spawner, own: Set<number>): Spawner {
  return {
    spawn(req) {
      const child = inner.spawn(req);
      own.add(child.pid);
      child.onExit(() => own.delete(child.pid));
      return child;
    },
    kill: (pid, signal) => inner.kill(pid, signal),
    killGroup: (pgid, signal) => inner.killGroup(pgid, signal),
  };
}
