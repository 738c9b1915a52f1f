// Arranges several annotators' labels into the units x coders tables that kappa and alpha take.
// Units are rationales (for verdicts) or steps identified by their character range (for step
// ratings: two annotators who moved split points differently did not rate the same step, so
// such steps are separate units and only pair where the ranges agree).
import { isActive } from './provenance';
import { AUTO_ANNOTATOR, type AnswerSupport, type RationaleAnnotation, type StepRating, type Verdict } from './types';

export interface ReliabilityData<T> {
  /** Unit keys, e.g. "ex42#0" or "ex42#0@10-57". */
  units: string[];
  coders: string[];
  /** values[unit][coder]; null = missing. */
  values: (T | null)[][];
}

function itemKey(a: RationaleAnnotation): string {
  return `${a.exampleId}#${a.completionIndex}`;
}

function tabulate<T>(annotations: readonly RationaleAnnotation[], cells: (a: RationaleAnnotation) => [string, T | null][], includeAuto: boolean): ReliabilityData<T> {
  const used = annotations.filter((a) => includeAuto || a.annotator !== AUTO_ANNOTATOR);
  const coders = [...new Set(used.map((a) => a.annotator))].sort();
  const table = new Map<string, Map<string, T | null>>();
  for (const a of used) {
    for (const [unit, value] of cells(a)) {
      let row = table.get(unit);
      if (!row) table.set(unit, (row = new Map()));
      row.set(a.annotator, value);
    }
  }
  const units = [...table.keys()].sort();
  return { units, coders, values: units.map((u) => coders.map((c) => table.get(u)!.get(c) ?? null)) };
}

export function verdictReliability(annotations: readonly RationaleAnnotation[], includeAuto = false): ReliabilityData<Verdict> {
  return tabulate(annotations, (a) => [[itemKey(a), a.verdict && isActive(a.verdict) ? a.verdict.verdict : null]], includeAuto);
}

export function answerSupportReliability(annotations: readonly RationaleAnnotation[], includeAuto = false): ReliabilityData<AnswerSupport> {
  return tabulate(annotations, (a) => [[itemKey(a), a.verdict && isActive(a.verdict) ? a.verdict.answerSupported : null]], includeAuto);
}

export function stepRatingReliability(annotations: readonly RationaleAnnotation[], includeAuto = false): ReliabilityData<StepRating> {
  return tabulate(
    annotations,
    (a) => a.steps.map((s): [string, StepRating | null] => [`${itemKey(a)}@${s.start}-${s.end}`, isActive(s) ? s.rating : null]),
    includeAuto,
  );
}

/** One coder's column, for cohenKappa. */
export function coderColumn<T>(data: ReliabilityData<T>, coder: string): (T | null)[] {
  const c = data.coders.indexOf(coder);
  if (c < 0) throw new Error(`no labels from annotator ${JSON.stringify(coder)}`);
  return data.values.map((row) => row[c] ?? null);
}
