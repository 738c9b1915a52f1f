// Queue navigation helpers: the filters the queue panel edits and moving through the loaded page.
import type { QueueFilter, QueueItem } from '../../../../shared/types/annotations';
import type { Split } from '../../../../shared/types/dataset';

export interface QueueQuery {
  filter: QueueFilter;
  split: Split | 'none' | '';
  tag: string;
}

export const DEFAULT_QUEUE_QUERY: QueueQuery = { filter: 'all', split: '', tag: '' };

/** Index of a rationale in the queue, -1 when the filters leave it out. */
export function indexInQueue(items: readonly QueueItem[], example: number, completion: number): number {
  return items.findIndex((i) => i.example === example && i.completion === completion);
}

/** The item `step` places away from `index` (clamped to the queue), null on an empty queue. */
export function neighbour(items: readonly QueueItem[], index: number, step: 1 | -1): QueueItem | null {
  if (items.length === 0) return null;
  if (index < 0) return items[step > 0 ? 0 : items.length - 1] ?? null;
  return items[Math.min(items.length - 1, Math.max(0, index + step))] ?? null;
}
