// Provenance transitions when a human acts on a label. Kept in one place so every edit path
// (UI, CLI import, adjudication) records "suggested vs accepted vs edited" the same way.
import type { LabelMeta, Provenance } from './types';

/** Provenance after a human changes a label's content. */
export function provenanceAfterEdit(previous: Provenance): Provenance {
  return previous === 'human' ? 'human' : 'edited';
}

/** A human accepts a machine suggestion unchanged. */
export function acceptLabel<T extends LabelMeta>(label: T, now: string): T {
  if (label.provenance !== 'auto' && label.provenance !== 'rejected') return label;
  return { ...label, provenance: 'accepted', updatedAt: now };
}

/** A human rejects a machine suggestion; the label is kept (see types.ts, Provenance). */
export function rejectLabel<T extends LabelMeta>(label: T, now: string): T {
  if (label.provenance === 'human') throw new Error('rejectLabel: only machine suggestions can be rejected; delete a human label instead');
  return { ...label, provenance: 'rejected', updatedAt: now };
}

/** A human edits a label's content: applies `changes` and records the edit. */
export function editLabel<T extends LabelMeta>(label: T, changes: Partial<Omit<T, keyof LabelMeta>>, now: string): T {
  return { ...label, ...changes, provenance: provenanceAfterEdit(label.provenance), updatedAt: now };
}

/** True for labels that currently count as the annotator's opinion (rejected ones do not). */
export function isActive(label: LabelMeta & { deleted?: boolean }): boolean {
  return label.provenance !== 'rejected' && label.deleted !== true;
}
