// How a view runs its calls to the lab and shows how they went, in one place: `busy` while a user
// action runs (its button disables and says so) and the last failure's message in `error`. A view
// keeps one CallState in `$state(idle())` and passes it here; these functions only set its fields.

/** What a view shows about its calls: one running, and the last failure's message ('' = none). */
export interface CallState {
  busy: boolean;
  error: string;
}

/** Nothing running, no error: the initial state. */
export function idle(): CallState {
  return { busy: false, error: '' };
}

/** A thrown value as the one line a view shows. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * One user action: busy while `action` runs, the previous error cleared first, a failure kept as
 * `describe` words it (its message by default). Resolves to whether it succeeded (never rejects),
 * so the caller can go on only after a success.
 */
export async function runAction(
  state: CallState,
  action: () => Promise<unknown>,
  describe: (e: unknown) => string = errorMessage,
): Promise<boolean> {
  state.busy = true;
  state.error = '';
  try {
    await action();
    return true;
  } catch (e) {
    state.error = describe(e);
    return false;
  } finally {
    state.busy = false;
  }
}

/**
 * A (re-)read of what the view shows: a failure's message replaces the error and a success clears
 * it, but `busy` is left alone and the old error stays up while the read runs, so a periodic
 * refresh does not make the view flicker. Resolves to whether it succeeded (never rejects).
 */
export async function runRead(state: Pick<CallState, 'error'>, read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    state.error = '';
    return true;
  } catch (e) {
    state.error = errorMessage(e);
    return false;
  }
}

/** A form's submit handler: the page does not reload, and `action` runs (its outcome is its own). */
export function submitWith(action: () => unknown): (e: { preventDefault(): void }) => void {
  return (e) => {
    e.preventDefault();
    void action();
  };
}
