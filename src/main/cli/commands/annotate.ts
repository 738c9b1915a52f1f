// `pst-lab annotate ...`: machine pre-annotation, JSONL export/import, agreement and scoring
// against synthetic ground truth, all through the annotation channels.
import path from 'node:path';
import type { LevelScore, Prf } from '../../../shared/types/annotations';
import { datasetIdByName } from '../../lab/datasets/store/datasets';
import type { Lab } from '../../lab/lab';
import { call, labCommand, type LabCommandSpec } from '../call';
import type { Command, ParsedValues } from '../command';
import { printFields, printTable } from '../output';
import { choiceOption, numberOption, stringOption, versionOption } from '../parse';

/** The labels of one version of a dataset: what the commands of `labelsCommand` read. */
type LabelsTarget = (lab: Lab) => { dataset: number; version?: number };

/**
 * `pst-lab annotate WORD <dataset> [--version V] ...`, the commands that read one version's labels:
 * --version is checked before the lab opens (a usage error), the dataset is resolved inside it.
 */
function labelsCommand<T>({
  word,
  flags,
  ask,
  ...rest
}: Omit<LabCommandSpec<T>, 'usage' | 'positionals' | 'ask'> & {
  word: string;
  /** Flags besides --version, as the usage line shows them. */
  flags?: string;
  ask(target: LabelsTarget, values: ParsedValues, usage: string): (lab: Lab) => Promise<T>;
}): Command {
  const usage = `pst-lab annotate ${word} <dataset> [--version V]${flags ? ` ${flags}` : ''} [--json] [--data-dir DIR]`;
  return labCommand({
    ...rest,
    usage,
    positionals: [1, 1],
    ask({ values, positionals }) {
      const version = versionOption(values, usage);
      return ask((lab) => ({ dataset: datasetIdByName(lab.db, positionals[0]!), ...(version ? { version } : {}) }), values, usage);
    },
  });
}

const pct = (x: number | null): string | null => (x === null ? null : (100 * x).toFixed(1));
const num = (x: number | null): string | null => (x === null ? null : x.toFixed(3));

export const annotateAutoCommand = labelsCommand({
  word: 'auto',
  summary: 'Run the checkers (arithmetic, numbers not in the question, answer mismatch) and store their suggestions.',
  ask: (target) => (lab) => call(lab, 'annotations.runCheckers', target(lab)),
  print(report, { io }) {
    io.stdout(`Checked ${report.rationales} rationales in ${report.elapsedMs} ms: ${report.flagged} flagged, ${report.findings} findings.\n`);
    printTable(io, ['checker', 'findings'], Object.entries(report.perChecker));
  },
});

export const annotateExportCommand = labCommand({
  usage: 'pst-lab annotate export <dataset> [--out FILE] [--json] [--data-dir DIR]',
  summary: 'Write all annotations (every annotator, machine suggestions, gold) as JSONL with provenance and timestamps.',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const out = stringOption(values, 'out');
    return (lab) =>
      call(lab, 'annotations.export', { dataset: datasetIdByName(lab.db, positionals[0]!), ...(out ? { out: path.resolve(out) } : {}) });
  },
  print(report, { io }) {
    io.stdout(`Wrote ${report.lines} lines (${report.annotators.join(', ') || 'no annotators'}; ${report.gold} gold) to ${report.file}\n`);
  },
});

export const annotateImportCommand = labCommand({
  usage: 'pst-lab annotate import <dataset> <file> [--json] [--data-dir DIR]',
  summary: 'Merge an annotation JSONL file into a dataset without duplicates (newer labels win).',
  positionals: [2, 2],
  ask: ({ positionals }) => (lab) =>
    call(lab, 'annotations.import', { dataset: datasetIdByName(lab.db, positionals[0]!), path: path.resolve(positionals[1]!) }),
  print(report, { io }) {
    io.stdout(`${report.records} records: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.conflicts.length} conflicts, ${report.skipped.length} skipped.\n`);
    for (const c of report.conflicts.slice(0, 20)) io.stderr(`conflict: example ${c.exampleId}#${c.completionIndex} (${c.annotator}): ${c.reason}\n`);
    for (const s of report.skipped.slice(0, 20)) io.stderr(`skipped: ${s.source}:${s.line}: ${s.reason}\n`);
  },
});

export const annotateAgreementCommand = labelsCommand({
  word: 'agreement',
  summary: "Inter-annotator agreement: Krippendorff's alpha, Cohen's kappa per pair, span F1.",
  ask: (target) => (lab) => call(lab, 'annotations.agreement', target(lab)),
  print(r, { io }) {
    printFields(io, [
      ['annotators', r.annotators.join(', ') || '-'],
      ['shared rationales', r.sharedItems],
      ['stale labels skipped', r.staleSkipped],
      ['verdict alpha', num(r.verdictAlpha.alpha)],
      ['answer-support alpha', num(r.answerSupportAlpha.alpha)],
      ['step-rating alpha', num(r.stepRatingAlpha.alpha)],
    ]);
    if (r.pairs.length) {
      io.stdout('\n');
      printTable(
        io,
        ['pair', 'items', 'verdict kappa', 'step kappa', 'span F1 overlap (same type)', 'span F1 chars (same type)', 'span F1 overlap (location)'],
        r.pairs.map((p) => [`${p.a} / ${p.b}`, p.items, num(p.verdictKappa.kappa), num(p.stepKappa.kappa), num(p.spans.overlap.f1), num(p.spans.character.f1), num(p.spanLocations.overlap.f1)]),
      );
    }
  },
});

const SCORE_LEVELS = ['rationale', 'span', 'step'] as const;
export const annotateScoreCommand = labelsCommand({
  word: 'score',
  flags: `[--level ${SCORE_LEVELS.join('|')}] [--min-confidence C]`,
  summary: 'Score the checkers and each annotator against the injected errors of a synthetic dataset (precision/recall per error type).',
  ask(target, values, usage) {
    const level = choiceOption(values, 'level', SCORE_LEVELS, usage) ?? 'span';
    const minConfidence = numberOption(values, 'min-confidence', usage, { min: 0, max: 1 });
    return async (lab) => ({
      level,
      score: await call(lab, 'annotations.score', { ...target(lab), ...(minConfidence !== undefined ? { minConfidence } : {}) }),
    });
  },
  json: ({ score }) => score,
  print({ level, score: r }, { io }) {
    io.stdout(`${r.rationales} rationales, ${r.withInjected} with injected errors; ${level}-level precision / recall / F1 (%)\n\n`);
    for (const e of r.entries) {
      const s: LevelScore = e.report[level];
      const row = (name: string, p: Prf): (string | number | null)[] => [name, p.tp, p.fp, p.fn, pct(p.precision), pct(p.recall), pct(p.f1)];
      io.stdout(`${e.who} (${e.items} rationales)\n`);
      printTable(io, ['error type', 'tp', 'fp', 'fn', 'precision', 'recall', 'F1'], [
        ...Object.entries(s.perType).filter(([, p]) => p.tp + p.fp + p.fn > 0).map(([t, p]) => row(t, p)),
        row('overall', s.overall),
        row('any type', s.anyType),
      ]);
      io.stdout('\n');
    }
  },
});

export const ANNOTATE_COMMANDS: readonly Command[] = [annotateAutoCommand, annotateExportCommand, annotateImportCommand, annotateAgreementCommand, annotateScoreCommand];
