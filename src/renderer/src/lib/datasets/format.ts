// Small display helpers for the Datasets page (numbers, ratios, dates, located problems).
import type { LocatedProblem } from '../../../../shared/types/importing';
import type { VersionStats } from '../../../../shared/types/datasets';
import { describeHallucinated, describeTeacherAccuracy } from '../../../../shared/teacherStats';

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '–';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** Teacher accuracy as defined in src/shared/teacherStats.ts (no answer counts wrong; "unknown" when nothing was judged). */
export function teacherAccuracy(stats: VersionStats): string {
  return describeTeacherAccuracy(stats);
}

/** Examples with injected errors, or "unknown" without hallucination ground truth. */
export function hallucinatedSummary(stats: VersionStats): string {
  return describeHallucinated(stats);
}

export function splitSummary(stats: VersionStats): string {
  const s = stats.splits;
  const parts = [`${count(s.train)} / ${count(s.val)} / ${count(s.test)}`];
  if (s.none > 0) parts.push(`${count(s.none)} unassigned`);
  return parts.join(', ');
}

export function shortHash(hash: string | null): string {
  return hash ? hash.slice(0, 12) : '—';
}

export function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "file:line (field): reason", the one way problems are shown everywhere. */
export function describeProblem(p: LocatedProblem): string {
  const file = p.file.split(/[\\/]/).pop() ?? p.file;
  return `${file}:${p.line}${p.field ? ` (${p.field})` : ''}: ${p.reason}`;
}

/**
 * A lab message about files the user picked, with the places the lab read them from (in serve
 * mode an upload folder inside the data directory) replaced by the names the user chose.
 */
export function withPickedNames(message: string, paths: readonly string[], names: readonly string[]): string {
  let out = message;
  paths.forEach((p, i) => {
    if (p && names[i]) out = out.split(p).join(names[i]!);
  });
  return out;
}

/** Problems carried by a failed import (LabError details.problems), if any. */
export function problemsOf(details: unknown): { problems: LocatedProblem[]; total: number } {
  if (!details || typeof details !== 'object') return { problems: [], total: 0 };
  const d = details as { problems?: unknown; total?: unknown };
  const problems = Array.isArray(d.problems) ? (d.problems as LocatedProblem[]) : [];
  return { problems, total: typeof d.total === 'number' ? d.total : problems.length };
}

/** The field a failed edit points at (LabError details.field), if any. */
export function fieldOf(details: unknown): string | null {
  if (!details || typeof details !== 'object') return null;
  const f = (details as { field?: unknown }).field;
  return typeof f === 'string' ? f : null;
}

export { errorMessage } from '../calls';

export const HALLUCINATION_LABELS: Record<string, string> = {
  arithmetic_slip: 'Arithmetic slip',
  quantity_misread: 'Quantity misread',
  skipped_step: 'Skipped step',
  irrelevant_statement: 'Irrelevant statement',
  contradictory_statement: 'Contradictory statement',
  answer_mismatch: 'Conclusion ≠ answer',
};
