// Serialised autosave: every change asks for a save, at most one save is in flight, and the
// latest state wins (changes made during a save are sent right after it, as one save). The status
// says "saved" only after the lab answered; a failed save keeps the local state, reports the
// error and waits for retry() (or the next change) instead of losing or silently dropping it.

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface AutosaveHooks<S, R> {
  /** Sends one state to the lab; resolves when it is durable. */
  send(state: S): Promise<R>;
  /** The lab's answer to a save (called before the next queued save is sent). */
  onSaved(result: R, sent: S): void;
  onStatus(status: SaveStatus, error: string | null): void;
}

export class Autosaver<S, R> {
  private queued: S | null = null;
  private inFlight: Promise<void> | null = null;
  private failed: S | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly hooks: AutosaveHooks<S, R>) {}

  /** Asks to save `state` (replacing any state still waiting to be sent). */
  request(state: S): void {
    this.queued = state;
    this.failed = null;
    if (this.inFlight) {
      this.hooks.onStatus('pending', null);
      return;
    }
    this.pump();
  }

  /** Sends the last failed state again. */
  retry(): void {
    if (this.failed !== null && this.queued === null) this.request(this.failed);
  }

  /** True when nothing is waiting, in flight or failed. */
  get settled(): boolean {
    return this.queued === null && this.inFlight === null && this.failed === null;
  }

  /** Resolves once no save is queued or in flight (a failed save does not block: check `settled`). */
  idle(): Promise<void> {
    if (this.queued === null && this.inFlight === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    const state = this.queued;
    if (state === null) {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
      return;
    }
    this.queued = null;
    this.hooks.onStatus('saving', null);
    this.inFlight = this.hooks.send(state).then(
      (result) => {
        this.inFlight = null;
        this.hooks.onSaved(result, state);
        if (this.queued === null) this.hooks.onStatus('saved', null);
        this.pump();
      },
      (err: unknown) => {
        this.inFlight = null;
        if (this.queued === null) {
          this.failed = state;
          this.hooks.onStatus('error', err instanceof Error ? err.message : String(err));
        }
        this.pump();
      },
    );
  }
}
