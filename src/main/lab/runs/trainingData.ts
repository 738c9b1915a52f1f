// Turns a committed dataset version into the trainer's examples. Training uses every teacher
// completion the subset rule keeps (one TrainExample per completion, as Fine-tune-CoT does);
// validation and test use one entry per example (its clean reference rationale if stored, else its
// first rationale: the reference for validation loss and similarity scores).
// Excluded examples and examples without a split are left out.
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { ExampleColumns, MemberColumns } from '../datasets/store/columns';
import type { TrainingSubset } from '../../../shared/types/runs';
import type { TrainExample } from '../training/methods/types';
import { contextFit, cutShares, exampleTexts, MAX_CUT_SHARE, type ContextFit } from '../training/data';
import { createMethod } from '../training/methods';
import { extraCharacters } from '../training/tokenizer';
import { buildStudent, type TrainConfig } from '../training/trainer';
import { rationaleFingerprint } from '../annotation/logic/fingerprint';
import { loadHumanVerdicts, resolveHumanVerdict } from '../annotation/store/status';

/** The human verdict a completion needs to be kept, for the annotation-based subsets. */
const SUBSET_VERDICT: Partial<Record<TrainingSubset, 'faithful' | 'hallucinated'>> = {
  'verified-faithful': 'faithful',
  'hallucinated-only': 'hallucinated',
};

export interface TrainingData {
  train: TrainExample[];
  val: TrainExample[];
  test: TrainExample[];
  stats: {
    trainExamples: number;
    trainCompletions: number;
    droppedNoCorrectCompletion: number;
    val: number;
    test: number;
    unassigned: number;
  };
}

type Row = ExampleColumns & Pick<MemberColumns, 'split'>;

/** metadata.cleanRationale of a generated example (set when its rationale got an injected error). */
function cleanRationale(metadata: string): string | null {
  const clean = (JSON.parse(metadata) as { cleanRationale?: unknown }).cleanRationale;
  return typeof clean === 'string' && clean.trim() ? clean : null;
}

export function loadTrainingData(db: Db, versionId: number, subset: TrainingSubset): TrainingData {
  const rows = db
    .prepare(
      `SELECT e.id, e.dataset_id, e.external_id, e.question, e.answer, e.answer_type, e.choices, e.metadata, ve.split FROM version_examples ve
       JOIN examples e ON e.id = ve.example_id WHERE ve.version_id = ? AND ve.excluded = 0 ORDER BY ve.position`,
    )
    .all(versionId) as Row[];
  const completions = db.prepare('SELECT idx, rationale, teacher_answer, correct FROM completions WHERE example_id = ? ORDER BY idx');
  const out: TrainingData = {
    train: [],
    val: [],
    test: [],
    stats: { trainExamples: 0, trainCompletions: 0, droppedNoCorrectCompletion: 0, val: 0, test: 0, unassigned: 0 },
  };
  const wanted = SUBSET_VERDICT[subset];
  const verdicts = wanted && rows[0] ? loadHumanVerdicts(db, rows[0].dataset_id) : null;
  // 'all' and 'teacher-correct' are unchanged; the annotation subsets keep a completion when its
  // resolved human verdict (gold, else unanimous humans, on this exact text) is the wanted one.
  const keep = (r: Row, c: { idx: number; rationale: string; correct: number | null }): boolean => {
    if (subset === 'teacher-correct') return c.correct === 1;
    if (!wanted || !verdicts) return true;
    return resolveHumanVerdict(verdicts.get(JSON.stringify([r.external_id, c.idx])), rationaleFingerprint(c.rationale)) === wanted;
  };
  const filtering = subset !== 'all';
  for (const r of rows) {
    const base = {
      question: r.question,
      answer: r.answer,
      answerType: r.answer_type,
      choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    };
    const comps = completions.all(r.id) as { idx: number; rationale: string; teacher_answer: string | null; correct: number | null }[];
    if (r.split === null) {
      out.stats.unassigned++;
      continue;
    }
    if (r.split !== 'train') {
      const first = comps[0];
      // The reference for validation loss and rationale similarity: the clean counterpart of a
      // generated hallucinated rationale when the example stores one (docs/methods.md, "Evaluation").
      const reference = cleanRationale(r.metadata) ?? first?.rationale ?? null;
      out[r.split].push({ ...base, id: String(r.id), rationale: reference, teacherAnswer: first?.teacher_answer ?? null });
      out.stats[r.split]++;
      continue;
    }
    const kept = comps.filter((c) => keep(r, c));
    if (kept.length === 0) {
      // (for every filtering subset: the example has no completion the subset keeps)
      if (filtering) {
        out.stats.droppedNoCorrectCompletion++;
        continue;
      }
      out.train.push({ ...base, id: String(r.id), rationale: null, teacherAnswer: null });
    }
    for (const c of kept) out.train.push({ ...base, id: `${r.id}#${c.idx}`, rationale: c.rationale, teacherAnswer: c.teacher_answer });
    out.stats.trainExamples++;
    out.stats.trainCompletions += kept.length;
  }
  if (out.train.length === 0) {
    throw new LabError(
      'INVALID_INPUT',
      SUBSET_VERDICT[subset]
        ? `no training example has a rationale with the human verdict ${SUBSET_VERDICT[subset]} (subset ${subset}); label rationales in the annotation workbench, or split the dataset (train/val/test) first`
        : `the version has no training examples${subset === 'teacher-correct' ? ' with a correct teacher answer' : ''}; split the dataset (train/val/test) first`,
    );
  }
  return out;
}

/**
 * The characters outside the tokenizer's base set that a run's vocabulary must hold: those of
 * every split of its data plus `also` (an experiment's other dataset variants), so the vocabulary
 * does not depend on which examples land in training (docs/methods.md, "Vocabulary").
 */
export function vocabularyCharacters(data: Pick<TrainingData, 'train' | 'val' | 'test'>, also = ''): string {
  return extraCharacters([...exampleTexts([...data.train, ...data.val, ...data.test]), also]).join('');
}

/** How a run's training data fits its context, as recorded in the run's data stats. */
export interface ContextRecord {
  context: number;
  contextNeeded: number;
  rationalesCut: number;
  rationalesCutShare: number;
  questionsCut: number;
  questionsCutShare: number;
  truncationAllowed: boolean;
}

/** The context fit of a run's training split, with the vocabulary and context the run will use. */
export function runContextFit(config: TrainConfig, data: Pick<TrainingData, 'train' | 'val'>, characters: string): ContextFit {
  const method = createMethod(config.method);
  // The student's own tokens and context (a pretrained student's tokenizer and its context limit).
  const { net, tok } = buildStudent({ ...config, characters }, method, [...data.train, ...data.val]);
  return contextFit(data.train, method, tok, net.context);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * Refuses (INVALID_INPUT, on the `allowTruncation` field) a run that would cut more than 1 % of its
 * training rationales or questions, unless `allow`; returns what to record on the run.
 */
export function checkContext(methodId: string, fit: ContextFit, allow: boolean): ContextRecord {
  const share = cutShares(fit);
  if (!allow && (share.rationales > MAX_CUT_SHARE || share.questions > MAX_CUT_SHARE)) {
    const cuts = [
      share.rationales > MAX_CUT_SHARE ? `${pct(share.rationales)} of the training rationales (${fit.rationalesCut} of ${fit.rationales})` : null,
      share.questions > MAX_CUT_SHARE ? `${pct(share.questions)} of the training questions (${fit.questionsCut} of ${fit.examples})` : null,
    ].filter(Boolean);
    const message =
      `${methodId} at context ${fit.context} would cut ${cuts.join(' and ')}; it needs a context of ${fit.neededContext} tokens. ` +
      `Set the context to at least ${fit.neededContext} (model.context, --context), or allow truncation (--allow-truncation) to record the cut share on the run`;
    throw new LabError('INVALID_INPUT', message, [{ path: ['allowTruncation'], message }]);
  }
  return {
    context: fit.context,
    contextNeeded: fit.neededContext,
    rationalesCut: fit.rationalesCut,
    rationalesCutShare: share.rationales,
    questionsCut: fit.questionsCut,
    questionsCutShare: share.questions,
    truncationAllowed: allow,
  };
}
