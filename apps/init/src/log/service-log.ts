// The interfaces of a service's log: the sink the supervisor writes lines into, and the reader behind `fortctl logs`.

/** One stored line: when it was written (millisecond precision) and its text, without timestamp or newline. */
export interface LogEntry {
  at: Date;
  line: string;
}

/** Where one service's output lines go. Never blocks and never throws on write. */
export interface ServiceLogSink {
  /**
   * Queue one line (a trailing newline is ignored; embedded newlines make several lines). `at` defaults to now.
   * Returns at once; when the destination is slower than the service, lines beyond a bound are dropped and
   * counted, and a `fortros-init: dropped N lines` line marks the gap.
   */
  write(line: string, at?: Date): void;
  /** Write what is queued and release the files. Idempotent; later writes are ignored. */
  close(): Promise<void>;
}

export interface TailOptions {
  signal?: AbortSignal;
}

export interface FollowOptions {
  /** The iteration ends (without error) when this aborts. */
  signal: AbortSignal;
  /** First yield the last `tail` stored lines, then new ones, with none missed or repeated in between. */
  tail?: number;
}

/** Reading a service's stored log (`fortctl logs NAME [-f] [-n N]`, the ReadLogs stream). */
export interface ServiceLogReader {
  /** The last `n` lines (0 ≤ n ≤ LOG_TAIL_MAX_LINES) across `current` and the rotated files, oldest first. */
  tail(n: number, options?: TailOptions): Promise<LogEntry[]>;
  /**
   * Lines as they reach the disk, from the writer itself (no polling). Ends when `signal` aborts or the log
   * closes. A reader slower than the service loses lines beyond a bound and gets a `dropped N lines` entry.
   */
  follow(options: FollowOptions): AsyncIterable<LogEntry>;
}
