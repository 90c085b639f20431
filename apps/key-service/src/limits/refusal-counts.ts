// Refusals and forced closes of keys.sock, counted by reason: a fixed set of counters others can export as metrics.

/** Every reason a caller or a connection is turned away. */
export const REFUSAL_REASONS = [
  /** Connection refused at accept: its uid already holds MAX_CONNECTIONS_PER_UID. */
  'uid-connections',
  /** Connection refused at accept: uids other than root together hold MAX_UNPRIVILEGED_CONNECTIONS. */
  'unprivileged-connections',
  /** Connection refused at accept: MAX_KEYS_CONNECTIONS are held. */
  'total-connections',
  /** Connection refused at accept: the kernel gave no credentials. */
  'no-credentials',
  /** Call refused and connection closed: its service holds MAX_CONNECTIONS_PER_SERVICE. */
  'service-connections',
  /** Connection closed after KEYS_IDLE_CONNECTION_MS without a call. */
  'idle',
  /** Call refused: the connection holds no pidfd, so the caller cannot be identified. */
  'no-pidfd',
  /** Call refused: the process that connected has exited (its pid may be another's now). */
  'caller-exited',
  /** Call refused: the caller does not descend from a supervised service or workload (or a pid on the way was reused). */
  'unattributed',
  /** Call refused: its uid's call rate is exceeded. */
  'uid-rate',
  /** Derivation refused: its service's derivation rate is exceeded. */
  'service-rate',
  /** Derivation refused: the purpose is outside the caller's policy. */
  'denied',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export class RefusalCounts {
  private readonly counts = new Map<RefusalReason, number>(REFUSAL_REASONS.map((r) => [r, 0]));

  add(reason: RefusalReason): void {
    this.counts.set(reason, this.counts.get(reason)! + 1);
  }

  get(reason: RefusalReason): number {
    return this.counts.get(reason)!;
  }

  /** Every reason with its count (zeros included), in REFUSAL_REASONS order. */
  snapshot(): Record<RefusalReason, number> {
    return Object.fromEntries(this.counts) as Record<RefusalReason, number>;
  }
}
