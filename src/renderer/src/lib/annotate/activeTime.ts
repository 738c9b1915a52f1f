// Time spent on an item: counts only while the page is visible and the window focused, and is
// taken (reset) at every save, so each save reports the active time since the previous one.

export class ActiveTimer {
  private total = 0;
  private since: number | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Starts or pauses counting (visible and focused = active). */
  setActive(active: boolean): void {
    if (active && this.since === null) this.since = this.now();
    if (!active && this.since !== null) {
      this.total += this.now() - this.since;
      this.since = null;
    }
  }

  /** Milliseconds counted so far, without resetting. */
  peek(): number {
    return this.total + (this.since !== null ? this.now() - this.since : 0);
  }

  /** Returns the milliseconds counted so far and restarts from zero. */
  take(): number {
    const ms = Math.round(this.peek());
    this.total = 0;
    if (this.since !== null) this.since = this.now();
    return ms;
  }

  /** Gives back time that a failed save did not record. */
  giveBack(ms: number): void {
    this.total += ms;
  }
}

/** "1 min 05 s", "42 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
