// Canonical forms and hashes. A version's content hash is SHA-256 over the canonical text of its
// examples in order (content + split + excluded + tags), so two versions with the same data have
// the same hash whatever their history, and any change to the data changes it.
import crypto from 'node:crypto';
import type { ExampleInput, Split } from '../../../../shared/types/dataset';

/** JSON with object keys sorted, so equal values always serialise identically. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Hash of one example revision's content (not its curation state). */
export function exampleContentHash(e: Omit<ExampleInput, 'split' | 'tags'>): string {
  return sha256(
    canonicalJson({
      externalId: e.externalId,
      question: e.question,
      answer: e.answer,
      answerType: e.answerType,
      choices: e.choices,
      completions: e.completions.map((c) => ({
        rationale: c.rationale,
        teacherAnswer: c.teacherAnswer,
        source: c.source,
        correct: c.correct,
        // Stored as NULL when empty (revisions.ts), so [] hashes as null: recomputable from stored data.
        injected: c.injected?.length ? c.injected : null,
      })),
      metadata: e.metadata,
    }),
  );
}

/** The line a version hash covers for one member example. */
export function memberLine(
  contentHash: string,
  split: Split | null,
  excluded: boolean,
  tags: readonly string[],
): string {
  return `${contentHash}\t${split ?? '-'}\t${excluded ? 1 : 0}\t${JSON.stringify([...tags].sort())}\n`;
}

/** Lower-case, punctuation-free, single-spaced question: equal for "normalised duplicates". */
export function normaliseQuestion(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
