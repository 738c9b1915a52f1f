// Export and import of annotations as JSONL (logic/jsonl.ts): every annotator's labels (the
// machine's too) with provenance and timestamps, plus gold labels as annotator "@gold:<name>".
// Import merges with logic/merge.ts: the same file twice, or an older export, changes nothing.
// Lines naming an example or completion this dataset does not have are reported and skipped;
// invalid lines make the whole import fail with every problem located (file, line, field).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { writeFileAtomic } from '../../fsAtomic';
import { getDataset } from '../../datasets/store/datasets';
import { formatLocatedError, parseAnnotationsJsonl, serializeAnnotation } from '../logic/jsonl';
import { mergeAnnotation } from '../logic/merge';
import { rationaleFingerprint } from '../logic/fingerprint';
import { durableTransaction } from '../store/durable';
import { readAnnotation, readDatasetAnnotations, readDatasetGold, readGold, writeAnnotation, writeGold, type ItemKey } from '../store/rows';
import { GOLD_EXPORT_PREFIX, type AnnotationExportReport, type AnnotationImportReport, type GoldAnnotation, type RationaleAnnotation } from '../../../../shared/types/annotations';

export function defaultExportFile(dataDir: string, datasetName: string): string {
  return path.join(dataDir, 'exports', `${datasetName.replace(/[^\w.-]+/g, '_')}-annotations.jsonl`);
}

export function exportAnnotations(db: Db, dataset: number, out: string, opts: { annotators?: readonly string[] } = {}): AnnotationExportReport {
  const d = getDataset(db, dataset);
  const annotations = readDatasetAnnotations(db, dataset).filter((a) => !opts.annotators || opts.annotators.includes(a.annotator));
  const gold = readDatasetGold(db, dataset);
  // Gold lines carry their sources in no field of format 1; they are restored as "all annotators".
  const lines = function* (): Generator<string> {
    for (const a of annotations) yield serializeAnnotation(a, d.name) + '\n';
    for (const g of gold) {
      const { sources: _sources, ...labels } = g;
      yield serializeAnnotation({ ...labels, annotator: `${GOLD_EXPORT_PREFIX}${g.annotator}` }, d.name) + '\n';
    }
  };
  // Atomic, so a failed export never leaves half a file.
  writeFileAtomic(out, lines());
  return { file: out, lines: annotations.length + gold.length, annotators: [...new Set(annotations.map((a) => a.annotator))].sort(), gold: gold.length };
}

export function importAnnotations(db: Db, dataset: number, file: string): AnnotationImportReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError('BAD_FILE', `cannot read ${file}: ${(err as Error).message}`, { problems: [{ file, line: 0, reason: (err as Error).message }] });
  }
  const { records, errors } = parseAnnotationsJsonl(text, file);
  if (errors.length > 0) {
    throw new LabError('BAD_FILE', `${errors.length} invalid line${errors.length === 1 ? '' : 's'}, nothing was imported; first: ${formatLocatedError(errors[0]!)}`, {
      problems: errors.slice(0, 1000).map((e) => ({ file: e.source, line: e.line, field: e.field, reason: e.reason })),
      total: errors.length,
    });
  }
  // Where each record sits in the file, to locate the skipped ones.
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const j = JSON.parse(raw) as { exampleId: string; completionIndex: number; annotator: string };
    lineOf.set(JSON.stringify([j.exampleId, j.completionIndex, j.annotator]), i + 1);
  });
  const report: AnnotationImportReport = { file, records: records.length, added: 0, updated: 0, unchanged: 0, conflicts: [], skipped: [], moved: [] };
  const locate = labelTargets(db, dataset);
  durableTransaction(db, () => {
    for (const { annotation: read } of records) {
      const line = lineOf.get(JSON.stringify([read.exampleId, read.completionIndex, read.annotator])) ?? 0;
      // A label belongs to a text: it lands where the annotated rationale is, never on another.
      const target = locate(read.exampleId, read.completionIndex, read.rationaleFingerprint);
      if ('reason' in target) {
        report.skipped.push({ source: file, line, field: 'exampleId', reason: target.reason });
        continue;
      }
      const a: RationaleAnnotation = { ...read, exampleId: target.exampleId, completionIndex: target.completionIndex };
      if (target.exampleId !== read.exampleId || target.completionIndex !== read.completionIndex) {
        report.moved!.push({
          source: file,
          line,
          field: 'exampleId',
          reason: `example ${JSON.stringify(read.exampleId)} completion ${read.completionIndex} holds another text here; the label went to example ${JSON.stringify(target.exampleId)} completion ${target.completionIndex}, which holds the annotated rationale`,
        });
      }
      const key: ItemKey = { datasetId: dataset, externalId: a.exampleId, completion: a.completionIndex };
      const isGold = a.annotator.startsWith(GOLD_EXPORT_PREFIX);
      const incoming = isGold ? { ...a, annotator: a.annotator.slice(GOLD_EXPORT_PREFIX.length) } : a;
      const existing = isGold ? readGold(db, key) : readAnnotation(db, key, a.annotator);
      let outcome: 'added' | 'updated' | 'unchanged' | 'conflict';
      let merged: RationaleAnnotation = incoming;
      if (!existing) outcome = 'added';
      else if (isGold && existing.annotator !== incoming.annotator) {
        // One gold set per rationale: the newer adjudication wins as a whole.
        outcome = Date.parse(incoming.updatedAt) > Date.parse(existing.updatedAt) ? 'updated' : 'unchanged';
      } else {
        const r = mergeAnnotation(existing, incoming);
        outcome = r.outcome;
        merged = r.merged;
        if (r.outcome === 'conflict') report.conflicts.push({ exampleId: a.exampleId, completionIndex: a.completionIndex, annotator: a.annotator, reason: r.reason ?? 'conflict' });
      }
      if (outcome === 'conflict') continue;
      report[outcome]++;
      if (outcome === 'unchanged') continue;
      if (isGold) {
        const sources = (existing as GoldAnnotation | null)?.sources ?? [];
        writeGold(db, key, { ...merged, sources });
      } else writeAnnotation(db, key, a.annotator, merged);
    }
  });
  return report;
}

type LabelTarget = { exampleId: string; completionIndex: number } | { reason: string };

/**
 * Where an imported label belongs (docs/methods.md, "Lossless export and annotation keys"): the
 * named example and completion when one of its revisions holds the annotated text (fingerprint),
 * else the one completion of the dataset that holds it (ids renumbered by another tool), else
 * nowhere: the label is reported and not written.
 */
function labelTargets(db: Db, dataset: number): (exampleId: string, completion: number, fingerprint: string) => LabelTarget {
  const named = db.prepare('SELECT c.rationale FROM examples e JOIN completions c ON c.example_id = e.id WHERE e.dataset_id = ? AND e.external_id = ? AND c.idx = ?');
  let byFingerprint: Map<string, Set<string>> | null = null;
  const index = (): Map<string, Set<string>> => {
    if (byFingerprint) return byFingerprint;
    byFingerprint = new Map();
    const rows = db
      .prepare('SELECT e.external_id AS x, c.idx AS i, c.rationale AS r FROM examples e JOIN completions c ON c.example_id = e.id WHERE e.dataset_id = ?')
      .iterate(dataset) as IterableIterator<{ x: string; i: number; r: string }>;
    for (const row of rows) {
      const fp = rationaleFingerprint(row.r);
      let set = byFingerprint.get(fp);
      if (!set) byFingerprint.set(fp, (set = new Set()));
      set.add(JSON.stringify([row.x, row.i]));
    }
    return byFingerprint;
  };
  return (exampleId, completion, fingerprint) => {
    const texts = (named.all(dataset, exampleId, completion) as { rationale: string }[]).map((r) => rationaleFingerprint(r.rationale));
    if (texts.includes(fingerprint)) return { exampleId, completionIndex: completion };
    const holders = [...(index().get(fingerprint) ?? [])].map((k) => JSON.parse(k) as [string, number]);
    if (holders.length === 1) return { exampleId: holders[0]![0], completionIndex: holders[0]![1] };
    const here =
      texts.length === 0
        ? `example ${JSON.stringify(exampleId)} with completion ${completion} is not in this dataset`
        : `example ${JSON.stringify(exampleId)} completion ${completion} holds a different rationale than the one annotated`;
    return {
      reason:
        holders.length === 0
          ? `${here}, and no completion holds the annotated text; label not imported`
          : `${here}, and ${holders.length} completions hold the annotated text; label not imported (ambiguous)`,
    };
  };
}
