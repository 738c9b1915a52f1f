// Queue navigation of the Annotate page (renderer lib/annotate/queue.ts).
import { describe, expect, it } from 'vitest';
import { indexInQueue, neighbour } from '../../../src/renderer/src/lib/annotate/queue';
import type { QueueItem } from '../../../src/shared/types/annotations';

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
