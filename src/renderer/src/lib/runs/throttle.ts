// Coalesces bursts of run.progress events into at most one call per interval, with one call in
// flight at a time: a run reports several times a second and each refresh is a database query.
export interface Throttled {
  /** Asks for a call; `soon` shortens the wait (status changes should show at once). */
  request(soon?: boolean): void;
  cancel(): void;
}

export function throttle(fn: () => Promise<unknown>, intervalMs: number, soonMs = 100): Throttled {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let last = 0;
  let cancelled = false;

  async function fire(): Promise<void> {
    timer = null;
    if (cancelled) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    last = Date.now();
    try {
      await fn();
    } finally {
      running = false;
      if (again && !cancelled) {
        again = false;
        schedule(intervalMs);
      }
    }
  }

  function schedule(wait: number): void {
    if (timer !== null) return;
    timer = setTimeout(() => void fire(), Math.max(0, wait));
  }

  return {
    request(soon = false) {
      if (cancelled) return;
      if (running) {
        again = true;
        return;
      }
      const due = soon ? soonMs : last + intervalMs - Date.now();
      if (soon && timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      schedule(due);
    },
    cancel() {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
