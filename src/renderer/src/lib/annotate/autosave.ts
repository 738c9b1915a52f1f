// Serialised autosave, one save per user action: every change asks for a save of the state it
// produced, at most one save is in flight, and queued states are sent in order, never merged. The
// lab records one undo step per save, so one Ctrl+Z undoes one keyboard or mouse action however
// fast the actions came. The status says "saved" only after the lab answered the last queued
// state; a failed save keeps it (and everything after it) queued, reports the error and waits for
// retry() or the next change instead of losing or silently dropping anything.

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface AutosaveHooks<S, R> {
  /** Sends one state to the lab; resolves when it is durable. */
  send(state: S): Promise<R>;
  /** The lab's answer to a save (called before the next queued save is sent). */
  onSaved(result: R, sent: S): void;
  onStatus(status: SaveStatus, error: string | null): void;
}

export class Autosaver<S, R> {
  /** States not yet acknowledged, oldest first; the head is in flight or failed. */
  private queue: S[] = [];
  private inFlight: Promise<void> | null = null;
  private failed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly hooks: AutosaveHooks<S, R>) {}

  /** Asks to save `state`, after every state requested before it. */
  request(state: S): void {
    this.queue.push(state);
    if (this.inFlight) {
      this.hooks.onStatus('pending', null);
      return;
    }
    this.failed = false;
    this.pump();
  }

  /** Sends the failed state (and the ones queued after it) again. */
  retry(): void {
    if (!this.failed || this.inFlight) return;
    this.failed = false;
    this.pump();
  }

  /** True when nothing is waiting, in flight or failed. */
  get settled(): boolean {
    return this.queue.length === 0 && this.inFlight === null && !this.failed;
  }

  /** Resolves once no save is queued or in flight (a failed save does not block: check `settled`). */
  idle(): Promise<void> {
    if (this.inFlight === null && (this.queue.length === 0 || this.failed)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    const state = this.queue[0];
    if (state === undefined || this.failed) {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
      return;
    }
    this.hooks.onStatus('saving', null);
    this.inFlight = this.hooks.send(state).then(
      (result) => {
        this.inFlight = null;
        this.queue.shift();
        this.hooks.onSaved(result, state);
        if (this.queue.length === 0) this.hooks.onStatus('saved', null);
        this.pump();
      },
      (err: unknown) => {
        this.inFlight = null;
        this.failed = true;
        this.hooks.onStatus('error', err instanceof Error ? err.message : String(err));
        this.pump();
      },
    );
  }
}
