// How views run their lab calls (renderer lib/calls.ts): busy and error around an action, a
// re-read that only replaces the error, and the form submit handler.
import { describe, expect, it } from 'vitest';
import { errorMessage, idle, runAction, runRead, submitWith } from '../../../src/renderer/src/lib/calls';

describe('runAction', () => {
  it('is busy while the action runs, clears the old error first and resolves true on success', async () => {
    const state = { ...idle(), error: 'old failure' };
    let seen: { busy: boolean; error: string } | null = null;
    const ok = await runAction(state, async () => {
      seen = { ...state };
    });
    expect(seen).toEqual({ busy: true, error: '' });
    expect(ok).toBe(true);
    expect(state).toEqual({ busy: false, error: '' });
  });
  it('keeps a failure as its message, is no longer busy and resolves false', async () => {
    const state = idle();
    const ok = await runAction(state, () => Promise.reject(new Error('the lab refused')));
    expect(ok).toBe(false);
    expect(state).toEqual({ busy: false, error: 'the lab refused' });
  });
  it('words a failure as the caller describes it', async () => {
    const state = idle();
    await runAction(
      state,
      () => Promise.reject(new Error('x')),
      (e) => `refused: ${errorMessage(e)}`,
    );
    expect(state.error).toBe('refused: x');
  });
});

describe('runRead', () => {
  it('leaves the error up while reading, clears it on success and never touches busy', async () => {
    const state = { busy: true, error: 'offline' };
    let during = '';
    expect(
      await runRead(state, async () => {
        during = state.error;
      }),
    ).toBe(true);
    expect(during).toBe('offline');
    expect(state).toEqual({ busy: true, error: '' });
  });
  it('replaces the error with the failure', async () => {
    const state = { error: 'old' };
    expect(await runRead(state, () => Promise.reject(new Error('gone')))).toBe(false);
    expect(state.error).toBe('gone');
  });
});

describe('errorMessage and submitWith', () => {
  it('shows an Error by its message and anything else as text', () => {
    expect(errorMessage(new Error('bad input'))).toBe('bad input');
    expect(errorMessage('plain')).toBe('plain');
  });
  it('stops the page reload and runs the action once', () => {
    let prevented = 0;
    let ran = 0;
    submitWith(() => ran++)({ preventDefault: () => prevented++ });
    expect([prevented, ran]).toEqual([1, 1]);
  });
});
