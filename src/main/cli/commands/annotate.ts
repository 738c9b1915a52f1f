// `pst-lab annotate ...`: machine pre-annotation, JSONL export/import, agreement and scoring
// against synthetic ground truth, all through the annotation channels.
import path from 'node:path';
import type { LevelScore, Prf } from '../../../shared/types/annotations';
import { datasetIdByName } from '../../lab/datasets/store/datasets';
import type { Lab } from '../../lab/lab';
import { call, withLab } from '../call';
import { UsageError, type Command, type ParsedValues } from '../command';
import { printFields, printJson, printTable } from '../output';
import { numberOption, stringOption } from '../parse';

/**
 * `<dataset> [--version V]`, taken by every command that reads one version's labels: checks
 * --version now (a usage error before the lab opens) and resolves the dataset inside the lab.
 */
function datasetVersion(
  values: ParsedValues,
  positionals: string[],
  usage: string,
): (lab: Lab) => { dataset: number; version?: number } {
  const value = values.version;
  const version = value === undefined ? undefined : Number(value);
  if (version !== undefined && (!Number.isInteger(version) || version < 1))
    throw new UsageError(`--version must be a version number (1, 2, ...), got ${String(value)}`, usage);
  return (lab) => ({ dataset: datasetIdByName(lab.db, positionals[0]!), ...(version ? { version } : {}) });
}

const pct = (x: number | null): string | null => (x === null ? null : (100 * x).toFixed(1));
const num = (x: number | null): string | null => (x === null ? null : x.toFixed(3));

const autoUsage = 'pst-lab annotate auto <dataset> [--version V] [--json] [--data-dir DIR]';
export const annotateAutoCommand: Command = {
  path: ['annotate', 'auto'],
  usage: autoUsage,
  summary: 'Run the checkers (arithmetic, numbers not in the question, answer mismatch) and store their suggestions.',
  options: { version: { type: 'string' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const input = datasetVersion(values, positionals, autoUsage);
    const report = await withLab(dataDir, (lab) => call(lab, 'annotations.runCheckers', input(lab)));
    if (json) return printJson(io, report);
    io.stdout(`Checked ${report.rationales} rationales in ${report.elapsedMs} ms: ${report.flagged} flagged, ${report.findings} findings.\n`);
    printTable(io, ['checker', 'findings'], Object.entries(report.perChecker));
  },
};

const exportUsage = 'pst-lab annotate export <dataset> [--out FILE] [--json] [--data-dir DIR]';
export const annotateExportCommand: Command = {
  path: ['annotate', 'export'],
  usage: exportUsage,
  summary: 'Write all annotations (every annotator, machine suggestions, gold) as JSONL with provenance and timestamps.',
  options: { out: { type: 'string' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const out = stringOption(values, 'out');
    const report = await withLab(dataDir, (lab) =>
      call(lab, 'annotations.export', { dataset: datasetIdByName(lab.db, positionals[0]!), ...(out ? { out: path.resolve(out) } : {}) }),
    );
    if (json) return printJson(io, report);
    io.stdout(`Wrote ${report.lines} lines (${report.annotators.join(', ') || 'no annotators'}; ${report.gold} gold) to ${report.file}\n`);
  },
};

const importUsage = 'pst-lab annotate import <dataset> <file> [--json] [--data-dir DIR]';
export const annotateImportCommand: Command = {
  path: ['annotate', 'import'],
  usage: importUsage,
  summary: 'Merge an annotation JSONL file into a dataset without duplicates (newer labels win).',
  options: {},
  positionals: [2, 2],
  async run({ positionals, dataDir, json, io }) {
    const report = await withLab(dataDir, (lab) =>
      call(lab, 'annotations.import', { dataset: datasetIdByName(lab.db, positionals[0]!), path: path.resolve(positionals[1]!) }),
    );
    if (json) return printJson(io, report);
    io.stdout(`${report.records} records: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.conflicts.length} conflicts, ${report.skipped.length} skipped.\n`);
    for (const c of report.conflicts.slice(0, 20)) io.stderr(`conflict: example ${c.exampleId}#${c.completionIndex} (${c.annotator}): ${c.reason}\n`);
    for (const s of report.skipped.slice(0, 20)) io.stderr(`skipped: ${s.source}:${s.line}: ${s.reason}\n`);
  },
};

const agreementUsage = 'pst-lab annotate agreement <dataset> [--version V] [--json] [--data-dir DIR]';
export const annotateAgreementCommand: Command = {
  path: ['annotate', 'agreement'],
  usage: agreementUsage,
  summary: "Inter-annotator agreement: Krippendorff's alpha, Cohen's kappa per pair, span F1.",
  options: { version: { type: 'string' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const input = datasetVersion(values, positionals, agreementUsage);
    const r = await withLab(dataDir, (lab) => call(lab, 'annotations.agreement', input(lab)));
    if (json) return printJson(io, r);
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
};

const scoreUsage = 'pst-lab annotate score <dataset> [--version V] [--level rationale|span|step] [--min-confidence C] [--json] [--data-dir DIR]';
export const annotateScoreCommand: Command = {
  path: ['annotate', 'score'],
  usage: scoreUsage,
  summary: 'Score the checkers and each annotator against the injected errors of a synthetic dataset (precision/recall per error type).',
  options: { version: { type: 'string' }, level: { type: 'string' }, 'min-confidence': { type: 'string' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const input = datasetVersion(values, positionals, scoreUsage);
    const level = stringOption(values, 'level') ?? 'span';
    if (level !== 'rationale' && level !== 'span' && level !== 'step') throw new UsageError(`--level must be rationale, span or step, got ${level}`, scoreUsage);
    const minConfidence = numberOption(values, 'min-confidence', scoreUsage, { min: 0, max: 1 });
    const r = await withLab(dataDir, (lab) =>
      call(lab, 'annotations.score', { ...input(lab), ...(minConfidence !== undefined ? { minConfidence } : {}) }),
    );
    if (json) return printJson(io, r);
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
};

export const ANNOTATE_COMMANDS: readonly Command[] = [annotateAutoCommand, annotateExportCommand, annotateImportCommand, annotateAgreementCommand, annotateScoreCommand];
