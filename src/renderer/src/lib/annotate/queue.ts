// Queue navigation helpers: the filters the queue panel edits and moving through the loaded page.
import type {
  AnnotationStatus,
  AnnotationView,
  QueueFilter,
  QueueItem,
  QueuePage,
} from '../../../../shared/types/annotations';
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

/**
 * The status the Label tab shows for an item: the caller's own labels only (blind double
 * annotation: another annotator's verdict, a disagreement or a gold label never shows while
 * labelling). The Adjudicate tab shows the shared `status`.
 */
export function ownStatus(it: Pick<QueueItem, 'mine' | 'labelledByMe' | 'autoFlagged'>): AnnotationStatus {
  if (it.mine === 'faithful' || it.mine === 'hallucinated') return it.mine;
  if (it.labelledByMe) return 'labelled';
  return it.autoFlagged ? 'auto-flagged' : 'unlabelled';
}

/**
 * The queue after a save (or undo) on one of its items: that item's own verdict and labelled
 * flag, and the progress count, without reordering or refiltering. The shared `status` is left
 * alone (it depends on other annotators; the queue reloads for the Adjudicate tab).
 */
export function applySaved(page: QueuePage, v: Pick<AnnotationView, 'item' | 'mine' | 'labelled'>): QueuePage {
  const { example, completion } = v.item;
  const i = indexInQueue(page.items, example, completion);
  const it = page.items[i];
  if (!it) return page;
  const mine = v.mine?.verdict?.verdict ?? null;
  if (it.mine === mine && it.labelledByMe === v.labelled) return page;
  const items = page.items.slice();
  items[i] = { ...it, mine, labelledByMe: v.labelled };
  const delta = (v.labelled ? 1 : 0) - (it.labelledByMe ? 1 : 0);
  return { ...page, items, progress: { ...page.progress, labelledByMe: page.progress.labelledByMe + delta } };
}

/**
 * Moving through the queue faster than the page can open items: `j` pressed again before the
 * previous move has been shown continues from where that move went, never from the item still on
 * screen, so no press is lost.
 */
export class QueueCursor {
  private pending: { example: number; completion: number } | null = null;

  /** The item `step` places from the last requested one (else from `shown`), null when there is none. */
  move(items: readonly QueueItem[], shown: number, step: 1 | -1): QueueItem | null {
    const from = this.pending ? indexInQueue(items, this.pending.example, this.pending.completion) : shown;
    const next = neighbour(items, from, step);
    const current = items[from];
    if (!next || next === current) return null;
    this.pending = { example: next.example, completion: next.completion };
    return next;
  }

  /** The page now shows this item: once it is the last one asked for, moves start from the screen again. */
  shown(example: number | null, completion: number): void {
    if (this.pending && this.pending.example === example && this.pending.completion === completion) this.pending = null;
  }

  /** Another way of opening an item (a click in the queue, a new queue) cancels pending moves. */
  reset(): void {
    this.pending = null;
  }
}
