/** Ends one hold taken with {@link IdleExit.holdAlive}; calling it again does nothing. */
export type ReleaseHold = () => void;

/**
 * Decides when the daemon is idle: no connected client and no live long-running work (a durable
 * terminal, a log follow, an open byte stream). Work holds the daemon with {@link holdAlive}, so
 * a terminal whose laptop went to sleep keeps running; the idle deadline starts only once the
 * last client has gone and the last hold is released.
 */
export class IdleExit {
  private clients = 0;
  private readonly holds = new Map<number, string>();
  private nextHold = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.rearm();
  }

  /** Reasons the daemon is held alive right now, e.g. `['stream diag:echo']`. */
  get reasons(): readonly string[] {
    return [...this.holds.values()];
  }

  /** Tells the tracker how many clients are connected now. */
  setClients(clients: number): void {
    this.clients = clients;
    this.rearm();
  }

  /** Keeps the daemon alive until the returned function is called; `reason` is for logs. */
  holdAlive(reason: string): ReleaseHold {
    const id = this.nextHold++;
    this.holds.set(id, reason);
    this.rearm();
    return () => {
      if (this.holds.delete(id)) this.rearm();
    };
  }

  /** Stops the timer for good (the daemon is shutting down for another reason). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.clients > 0 || this.holds.size > 0) return;
    this.timer = setTimeout(() => this.onIdle(), this.idleMs);
  }
}
