// Scores the checkers (all together and each alone) and every human annotator against the errors
// the synthetic generator injected. The checkers are run fresh on the version (they are pure and
// fast), so the score does not depend on whether `annotate auto` ran. An annotator is scored on
// the rationales they labelled on the current text; the gold set likewise.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { getDataset } from '../../datasets/store/datasets';
import { runCheckers } from '../logic/checkers';
import { rationaleFingerprint } from '../logic/fingerprint';
import { predictionsFromAnnotation, scoreAgainstInjected, type ScoringExample } from '../logic/scoring';
import { itemKeyString, versionRationales } from '../store/items';
import { readDatasetGold } from '../store/rows';
import { currentHumanAnnotations } from './agreement';
import { CHECKER_NAMES, type RationaleAnnotation, type ScoreEntry, type ScoreSummary } from '../../../../shared/types/annotations';
import type { VersionRef } from '../../../../shared/types/datasets';

export function scoreVersion(db: Db, dataset: number, version: VersionRef, minConfidence = 0): ScoreSummary {
  const d = getDataset(db, dataset);
  if (!d.source.startsWith('synthetic:')) {
    throw new LabError('CONFLICT', `dataset "${d.name}" is not synthetic (source ${d.source}): there is no injected ground truth to score against`);
  }
  const { versionId, items } = versionRationales(db, dataset, version);
  const id = (k: { externalId: string; completion: number }): string => itemKeyString(k);
  const findings = items.map((it) => ({
    it,
    found: runCheckers({ question: it.question, rationale: it.rationale, answerType: it.answerType, choices: it.choices, goldAnswer: it.answer, teacherAnswer: it.teacherAnswer }),
  }));
  const opts = { minConfidence };
  const entries: ScoreEntry[] = [];
  const checkerExamples = (keep: (checker: string) => boolean): ScoringExample[] =>
    findings.map(({ it, found }) => ({ id: id(it.key), injected: it.injected ?? [], predicted: found.filter((f) => keep(f.checker)) }));
  entries.push({ who: 'checkers', kind: 'checkers', items: items.length, report: scoreAgainstInjected(checkerExamples(() => true), opts) });
  for (const c of CHECKER_NAMES) entries.push({ who: `checker:${c}`, kind: 'checker', items: items.length, report: scoreAgainstInjected(checkerExamples((x) => x === c), opts) });

  const injectedOf = new Map(items.map((it) => [id(it.key), it.injected ?? []]));
  const scoreLabels = (who: string, kind: ScoreEntry['kind'], labels: readonly RationaleAnnotation[]): void => {
    const examples: ScoringExample[] = labels.map((a) => {
      const k = id({ externalId: a.exampleId, completion: a.completionIndex });
      return { id: k, injected: injectedOf.get(k) ?? [], predicted: predictionsFromAnnotation(a) };
    });
    entries.push({ who, kind, items: examples.length, report: scoreAgainstInjected(examples, opts) });
  };
  const { annotations } = currentHumanAnnotations(db, dataset, version);
  for (const name of [...new Set(annotations.map((a) => a.annotator))].sort()) scoreLabels(name, 'annotator', annotations.filter((a) => a.annotator === name));
  const fingerprints = new Map(items.map((it) => [id(it.key), rationaleFingerprint(it.rationale)]));
  const gold = readDatasetGold(db, dataset).filter((g) => fingerprints.get(id({ externalId: g.exampleId, completion: g.completionIndex })) === g.rationaleFingerprint);
  if (gold.length > 0) scoreLabels('gold', 'gold', gold);
  return { datasetId: dataset, versionId, rationales: items.length, withInjected: items.filter((it) => (it.injected ?? []).length > 0).length, entries };
}
