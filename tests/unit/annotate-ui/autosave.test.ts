// The workbench's autosave queue and active-time counter (renderer lib/annotate).
import { describe, expect, it } from 'vitest';
import { ActiveTimer, formatDuration } from '../../../src/renderer/src/lib/annotate/activeTime';
import { Autosaver, type SaveStatus } from '../../../src/renderer/src/lib/annotate/autosave';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Autosaver', () => {
  it('keeps one save in flight and sends every queued state after it, in order (one undo step per action)', async () => {
    const calls: { state: number; d: ReturnType<typeof deferred<string>> }[] = [];
    const statuses: SaveStatus[] = [];
    const saved: string[] = [];
    const saver = new Autosaver<number, string>({
      send: (state) => {
        const d = deferred<string>();
        calls.push({ state, d });
        return d.promise;
      },
      onSaved: (r) => saved.push(r),
      onStatus: (s) => statuses.push(s),
    });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 4; i++) await Promise.resolve();
    };
    saver.request(1);
    saver.request(2);
    saver.request(3);
    expect(calls.map((c) => c.state)).toEqual([1]);
    expect(statuses).toEqual(['saving', 'pending', 'pending']);
    calls[0]!.d.resolve('r1');
    await settle();
    expect(calls.map((c) => c.state)).toEqual([1, 2]);
    expect(statuses.at(-1)).toBe('saving'); // never "saved" while a newer change is unsent
    calls[1]!.d.resolve('r2');
    await settle();
    expect(calls.map((c) => c.state)).toEqual([1, 2, 3]);
    calls[2]!.d.resolve('r3');
    await saver.idle();
    expect(saved).toEqual(['r1', 'r2', 'r3']);
    expect(statuses.at(-1)).toBe('saved');
    expect(saver.settled).toBe(true);
  });

  it('a failed save holds the states after it until retry, then sends them in order', async () => {
    let fail = true;
    const sent: number[] = [];
    const saver = new Autosaver<number, number>({
      send: async (s) => {
        sent.push(s);
        if (fail && s === 1) throw new Error('disk full');
        return s;
      },
      onSaved: () => undefined,
      onStatus: () => undefined,
    });
    saver.request(1);
    saver.request(2);
    await saver.idle();
    expect(sent).toEqual([1]);
    expect(saver.settled).toBe(false);
    fail = false;
    saver.retry();
    await saver.idle();
    expect(sent).toEqual([1, 1, 2]);
    expect(saver.settled).toBe(true);
  });

  it('reports a failure, keeps the state, and retries it', async () => {
    let fail = true;
    const sent: number[] = [];
    let last: [SaveStatus, string | null] = ['idle', null];
    const saver = new Autosaver<number, number>({
      send: async (s) => {
        sent.push(s);
        if (fail) throw new Error('disk full');
        return s;
      },
      onSaved: () => undefined,
      onStatus: (s, e) => (last = [s, e]),
    });
    saver.request(7);
    await saver.idle();
    expect(last).toEqual(['error', 'disk full']);
    expect(saver.settled).toBe(false);
    fail = false;
    saver.retry();
    await saver.idle();
    expect(sent).toEqual([7, 7]);
    expect(last).toEqual(['saved', null]);
    expect(saver.settled).toBe(true);
  });
});

describe('ActiveTimer', () => {
  it('counts only active time and restarts at each take', () => {
    let now = 0;
    const t = new ActiveTimer(() => now);
    t.setActive(true);
    now = 1000;
    t.setActive(false);
    now = 5000; // hidden: not counted
    t.setActive(true);
    now = 5500;
    expect(t.take()).toBe(1500);
    now = 6000;
    expect(t.take()).toBe(500);
    t.giveBack(200);
    expect(t.peek()).toBe(200);
  });
  it('formats durations', () => {
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(3_660_000)).toBe('1 h 01 min');
  });
});
