// Queue navigation of the Annotate page (renderer lib/annotate/queue.ts).
import { describe, expect, it } from 'vitest';
import {
  applySaved,
  indexInQueue,
  neighbour,
  ownStatus,
  QueueCursor,
} from '../../../src/renderer/src/lib/annotate/queue';
import type { AnnotationView, QueueItem, QueuePage } from '../../../src/shared/types/annotations';

const item = (example: number, completion = 0): QueueItem =>
  ({
    example,
    completion,
    externalId: `e${example}`,
    position: example,
    split: null,
    tags: [],
    status: 'unlabelled',
    mine: null,
    labelledByMe: false,
    annotators: 0,
    autoFlagged: false,
    hasGold: false,
  }) as QueueItem;

describe('queue navigation', () => {
  const items = [item(1), item(2), item(2, 1), item(5)];
  it('finds an item by example and completion', () => {
    expect(indexInQueue(items, 2, 1)).toBe(2);
    expect(indexInQueue(items, 3, 0)).toBe(-1);
  });
  it('moves to neighbours, clamped at both ends', () => {
    expect(neighbour(items, 1, 1)).toBe(items[2]);
    expect(neighbour(items, 3, 1)).toBe(items[3]);
    expect(neighbour(items, 0, -1)).toBe(items[0]);
  });
  it('from an item the filters left out, next starts at the top and previous at the bottom', () => {
    expect(neighbour(items, -1, 1)).toBe(items[0]);
    expect(neighbour(items, -1, -1)).toBe(items[3]);
    expect(neighbour([], 0, 1)).toBeNull();
  });
});

describe('fast moves through the queue', () => {
  const items = [item(1), item(2), item(3), item(4), item(5)];
  it('continues from the last requested item until the page shows it', () => {
    const c = new QueueCursor();
    // Three presses while item 1 is still on screen: 2, 3, 4 (none lost).
    expect(c.move(items, 0, 1)?.example).toBe(2);
    expect(c.move(items, 0, 1)?.example).toBe(3);
    expect(c.move(items, 0, 1)?.example).toBe(4);
    c.shown(2, 0); // an intermediate item is shown: still continue from 4
    expect(c.move(items, 1, 1)?.example).toBe(5);
    expect(c.move(items, 1, 1)).toBeNull(); // the end of the queue
    c.shown(5, 0);
    expect(c.move(items, 4, -1)?.example).toBe(4);
  });
  it('starts from the screen again after a click elsewhere', () => {
    const c = new QueueCursor();
    c.move(items, 0, 1);
    c.reset();
    expect(c.move(items, 2, 1)?.example).toBe(4);
  });
});

describe('blind queue status and saves', () => {
  it("shows only the caller's own labels", () => {
    const shared = { ...item(1), status: 'disagreement' as const, annotators: 2 };
    expect(ownStatus(shared)).toBe('unlabelled');
    expect(ownStatus({ ...shared, autoFlagged: true })).toBe('auto-flagged');
    expect(ownStatus({ ...shared, labelledByMe: true, mine: 'unsure' })).toBe('labelled');
    expect(ownStatus({ ...shared, labelledByMe: true, mine: 'hallucinated' })).toBe('hallucinated');
  });
  it('updates the saved item and the progress count, once per item', () => {
    const page: QueuePage = {
      versionId: 1,
      total: 2,
      items: [item(1), item(2)],
      progress: { labelledByMe: 0, rationales: 2 },
    };
    const view = (verdict: 'faithful' | 'hallucinated' | null, labelled: boolean) =>
      ({
        item: { example: 2, completion: 0 },
        labelled,
        mine: verdict ? { verdict: { verdict } } : { verdict: null },
      }) as unknown as AnnotationView;
    const a = applySaved(page, view('faithful', true));
    expect(a.items[1]).toMatchObject({ mine: 'faithful', labelledByMe: true });
    expect(a.progress.labelledByMe).toBe(1);
    const b = applySaved(a, view('hallucinated', true));
    expect(ownStatus(b.items[1]!)).toBe('hallucinated');
    expect(b.progress.labelledByMe).toBe(1);
    const c = applySaved(b, view(null, false)); // undone to nothing
    expect(c.items[1]).toMatchObject({ mine: null, labelledByMe: false });
    expect(c.progress.labelledByMe).toBe(0);
    expect(applySaved(c, { ...view(null, false), item: { example: 9, completion: 0 } } as AnnotationView)).toBe(c);
  });
});
