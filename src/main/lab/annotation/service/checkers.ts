// Machine pre-annotation of a whole version: runs the checkers on every rationale and stores the
// findings as the 'auto' annotator's labels (provenance auto) in one durable transaction. Span
// ids are deterministic, so re-running never duplicates a suggestion, and what humans accepted or
// rejected (stored under their own names) is untouched.
import type { Db } from '../../db/database';
import { runCheckers } from '../logic/checkers';
import { findingsToAnnotation } from '../logic/suggestions';
import { durableTransaction } from '../store/durable';
import { versionRationales } from '../store/items';
import { readAnnotation, writeAnnotation } from '../store/rows';
import { AUTO_ANNOTATOR, CHECKER_NAMES, ERROR_TYPES, type CheckerName, type CheckerRunReport, type ErrorType } from '../../../../shared/types/annotations';
import type { VersionRef } from '../../../../shared/types/datasets';

export function runVersionCheckers(db: Db, dataset: number, version: VersionRef, which: readonly CheckerName[] = CHECKER_NAMES): CheckerRunReport {
  const t0 = Date.now();
  const { versionId, items } = versionRationales(db, dataset, version);
  const perChecker = Object.fromEntries(CHECKER_NAMES.map((c) => [c, 0])) as Record<CheckerName, number>;
  const perErrorType = Object.fromEntries(ERROR_TYPES.map((t) => [t, 0])) as Record<ErrorType, number>;
  let flagged = 0;
  let findings = 0;
  const now = new Date().toISOString();
  const annotations = items.map((it) => {
    const found = runCheckers(
      { question: it.question, rationale: it.rationale, answerType: it.answerType, choices: it.choices, goldAnswer: it.answer, teacherAnswer: it.teacherAnswer },
      which,
    );
    for (const f of found) {
      perChecker[f.checker]++;
      perErrorType[f.errorType]++;
    }
    findings += found.length;
    if (found.length > 0) flagged++;
    return { key: it.key, annotation: findingsToAnnotation({ exampleId: it.key.externalId, completionIndex: it.key.completion }, it.rationale, found, now) };
  });
  durableTransaction(db, () => {
    for (const { key, annotation } of annotations) {
      // Keep the original suggestion times when nothing changed, so exports stay stable.
      const prev = readAnnotation(db, key, AUTO_ANNOTATOR);
      if (prev && prev.rationaleFingerprint === annotation.rationaleFingerprint && JSON.stringify([prev.steps.map((s) => [s.start, s.end, s.rating, s.errorType]), prev.spans.map((s) => s.id)]) === JSON.stringify([annotation.steps.map((s) => [s.start, s.end, s.rating, s.errorType]), annotation.spans.map((s) => s.id)])) continue;
      writeAnnotation(db, key, AUTO_ANNOTATOR, annotation);
    }
  });
  return { versionId, rationales: items.length, flagged, findings, perChecker, perErrorType, elapsedMs: Date.now() - t0 };
}
