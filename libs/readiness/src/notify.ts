// s6 readiness protocol, service side: the supervisor gives us an fd (`--notify-fd N`); we write "\n" when ready.
import { closeSync, fstatSync, writeSync } from 'node:fs';

export class ReadinessError extends Error {
  override name = 'ReadinessError';
}

/** The one rule for a notification fd: a decimal integer of 3 or more (0-2 are stdio). Throws ReadinessError. */
export function checkNotifyFd(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 3 || !Number.isSafeInteger(Number(raw))) {
    throw new ReadinessError(`--notify-fd: expected an fd number of 3 or more, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Parse `--notify-fd N` / `--notify-fd=N` from argv; undefined when absent. Throws ReadinessError when malformed. */
export function parseNotifyFd(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let raw: string | undefined;
    if (arg === '--notify-fd') raw = argv[i + 1] ?? '';
    else if (arg.startsWith('--notify-fd=')) raw = arg.slice('--notify-fd='.length);
    else continue;
    return checkNotifyFd(raw);
  }
  return undefined;
}

/**
 * Signal readiness on `fd`: one newline, then close, so the supervisor sees the newline and then EOF.
 * Call it only when the service is truly ready. A no-op when fd is undefined (not supervised with readiness).
 */
export function notifyReady(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    fstatSync(fd);
  } catch {
    throw new ReadinessError(`notification fd ${fd} is not open: was the service started with notification-fd ${fd}?`);
  }
  const nl = Buffer.from('\n');
  for (;;) {
    try {
      if (writeSync(fd, nl) === 1) break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw new ReadinessError(`notification fd ${fd}: ${(err as Error).message}`);
    }
  }
  closeSync(fd);
}
