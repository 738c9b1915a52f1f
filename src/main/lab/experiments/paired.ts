// Two groups of one experiment compared on the same seeds and the same test examples. The seed is
// the unit of replication: per-seed accuracy differences with a paired t-test and an exact
// sign-flip permutation test. Conditional on the trained models (examples as unit): the paired
// bootstrap over examples and the exact McNemar test on pooled (seed, example) pairs. And the
// examples that flip between them (docs/methods.md, "Statistics"). Examples are matched by their external id, which is the same
// across the generated variants of one task (same generator seed), so groups at different
// hallucination rates can be paired too.
import type { FlipAnnotation, FlipExample, FlipsResult, PairedComparison } from '../../../shared/types/experiments';
import { AUTO_ANNOTATOR, type AnnotationStatus } from '../../../shared/types/annotations';
import { exampleAnnotationStatusSql } from '../annotation/store/status';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import { MAX_SIGN_FLIP_SEEDS, mcnemarExact, pairedBootstrap, pairedTTest, signFlipTest } from '../stats';
import { BOOTSTRAP_SEED, CONFIDENCE_LEVEL, DEFAULT_RESAMPLES } from './results';
import { experimentRuns } from './store';

interface PredictionRow {
  external_id: string;
  example_id: number;
  dataset_id: number;
  question: string;
  gold: string;
  prediction: string | null;
  correct: number;
}

interface Side {
  key: string;
  /** seed -> external id -> prediction */
  bySeed: Map<number, Map<string, PredictionRow>>;
}

function loadSide(db: Db, experimentId: number, key: string): Side {
  const cells = experimentRuns(db, experimentId).filter((c) => c.groupKey === key);
  if (cells.length === 0) {
    const known = [...new Set(experimentRuns(db, experimentId).map((c) => c.groupKey))];
    throw new LabError(
      'NOT_FOUND',
      `experiment ${experimentId} has no group ${JSON.stringify(key)} (groups: ${known.join(', ')})`,
    );
  }
  const q = db.prepare(
    `SELECT e.external_id, e.id AS example_id, e.dataset_id, e.question, e.answer AS gold, p.prediction, p.correct
     FROM run_predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? AND p.split = 'test'`,
  );
  const bySeed = new Map<number, Map<string, PredictionRow>>();
  for (const c of cells) {
    if (c.status !== 'completed') continue;
    const rows = q.all(c.runId) as PredictionRow[];
    if (rows.length) bySeed.set(c.factors.seed, new Map(rows.map((r) => [r.external_id, r])));
  }
  return { key, bySeed };
}

interface Paired {
  seeds: number[];
  examples: string[];
  a: Side;
  b: Side;
}

function pair(db: Db, experimentId: number, aKey: string, bKey: string): Paired {
  if (aKey === bKey) throw new LabError('INVALID_INPUT', 'compare two different groups');
  const a = loadSide(db, experimentId, aKey);
  const b = loadSide(db, experimentId, bKey);
  const seeds = [...a.bySeed.keys()].filter((s) => b.bySeed.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0)
    throw new LabError('CONFLICT', `${aKey} and ${bKey} have no completed runs on a shared seed yet`);
  let examples = [...a.bySeed.get(seeds[0]!)!.keys()];
  for (const s of seeds) examples = examples.filter((x) => a.bySeed.get(s)!.has(x) && b.bySeed.get(s)!.has(x));
  if (examples.length === 0) throw new LabError('CONFLICT', `${aKey} and ${bKey} share no evaluated test examples`);
  examples.sort();
  return { seeds, examples, a, b };
}

function matrix(side: Side, p: Paired): number[][] {
  return p.seeds.map((s) => p.examples.map((x) => side.bySeed.get(s)!.get(x)!.correct));
}

/** Accuracy of one seed's row over the shared examples. */
function rowMean(row: readonly number[]): number {
  return row.reduce((x, y) => x + y, 0) / row.length;
}

export function compareGroups(
  db: Db,
  experimentId: number,
  aKey: string,
  bKey: string,
  resamples = DEFAULT_RESAMPLES,
): PairedComparison {
  const p = pair(db, experimentId, aKey, bKey);
  const ma = matrix(p.a, p);
  const mb = matrix(p.b, p);

  // The seed as the unit: one accuracy difference per shared seed.
  const differences = p.seeds.map((seed, i) => {
    const a = rowMean(ma[i]!);
    const b = rowMean(mb[i]!);
    return { seed, a, b, difference: a - b };
  });
  const d = differences.map((x) => x.difference);
  const t = pairedTTest(d, CONFIDENCE_LEVEL);
  const flipOk = d.length <= MAX_SIGN_FLIP_SEEDS;
  const flip = flipOk ? signFlipTest(d) : null;

  // Conditional on the trained models: examples as the unit.
  const boot = pairedBootstrap(ma, mb, { resamples, seed: BOOTSTRAP_SEED, level: CONFIDENCE_LEVEL });
  const mc = mcnemarExact(
    ma.flat().map((v) => v === 1),
    mb.flat().map((v) => v === 1),
  );
  return {
    a: aKey,
    b: bKey,
    sharedSeeds: p.seeds,
    examples: p.examples.length,
    seedLevel: {
      n: d.length,
      differences,
      meanDifference: d.reduce((x, y) => x + y, 0) / d.length,
      tTest: t.result
        ? {
            t: t.result.t,
            df: t.result.df,
            p: t.result.p,
            level: t.result.level,
            ciLow: t.result.ciLow,
            ciHigh: t.result.ciHigh,
          }
        : null,
      tTestNote: t.reason,
      signFlip: flip ? { p: flip.p, patterns: flip.patterns, minP: flip.minP } : null,
      signFlipNote: flipOk ? null : `not computed: exact enumeration is limited to ${MAX_SIGN_FLIP_SEEDS} seeds`,
    },
    conditional: {
      difference: boot.meanDiff,
      ciLow: boot.ci.lower,
      ciHigh: boot.ci.upper,
      pBootstrap: boot.pValue,
      resamples,
      // McNemarResult.b = A right & B wrong (b10), .c = A wrong & B right (b01).
      mcnemar: { b01: mc.c, b10: mc.b, p: mc.pValue },
    },
  };
}

function hasAnnotationTables(db: Db): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotation_gold'`).get() !== undefined
  );
}

/** The example's status as the Annotate page and the dataset table show it, and who labelled it. */
function annotationOf(db: Db, exampleId: number): FlipAnnotation {
  const row = db
    .prepare(
      `SELECT ${exampleAnnotationStatusSql('e')} AS status,
              (SELECT COUNT(DISTINCT a.annotator) FROM annotations a WHERE a.dataset_id = e.dataset_id AND a.external_id = e.external_id
                 AND a.annotator <> ? AND a.labelled = 1) AS annotators,
              EXISTS (SELECT 1 FROM annotation_gold g WHERE g.dataset_id = e.dataset_id AND g.external_id = e.external_id) AS has_gold
       FROM examples e WHERE e.id = ?`,
    )
    .get(AUTO_ANNOTATOR, exampleId) as { status: AnnotationStatus; annotators: number; has_gold: number };
  return { status: row.status, annotators: row.annotators, hasGold: row.has_gold === 1 };
}

/** Shared test examples on which the two groups' correctness differs, most lopsided first. */
export function flipsBetween(db: Db, experimentId: number, aKey: string, bKey: string, limit = 500): FlipsResult {
  const p = pair(db, experimentId, aKey, bKey);
  const annotationsAvailable = hasAnnotationTables(db);
  const flips: FlipExample[] = [];
  for (const x of p.examples) {
    const ra = p.seeds.map((s) => p.a.bySeed.get(s)!.get(x)!);
    const rb = p.seeds.map((s) => p.b.bySeed.get(s)!.get(x)!);
    const aCorrect = ra.filter((r) => r.correct === 1).length;
    const bCorrect = rb.filter((r) => r.correct === 1).length;
    if (aCorrect === bCorrect) continue;
    const first = ra[0]!;
    flips.push({
      externalId: x,
      exampleId: first.example_id,
      question: first.question,
      gold: first.gold,
      seeds: p.seeds.length,
      aCorrect,
      bCorrect,
      favours: aCorrect > bCorrect ? 'a' : 'b',
      predictionsA: ra.map((r) => r.prediction),
      predictionsB: rb.map((r) => r.prediction),
      // Annotations belong to the teacher rationales of the data group A trained on.
      annotation: annotationsAvailable ? annotationOf(db, first.example_id) : null,
    });
  }
  flips.sort(
    (u, v) =>
      Math.abs(v.aCorrect - v.bCorrect) - Math.abs(u.aCorrect - u.bCorrect) || (u.externalId < v.externalId ? -1 : 1),
  );
  return {
    a: aKey,
    b: bKey,
    sharedSeeds: p.seeds,
    examples: p.examples.length,
    annotationsAvailable,
    flips: flips.slice(0, limit),
  };
}
