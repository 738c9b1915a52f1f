// The synthetic dataset generator: problems, clean teacher rationales and controlled
// hallucinations with exact ground truth. Example i depends only on (seed, i, settings): the
// problem comes from one random stream and the hallucination decision from another, so the same
// seed with rate 0 gives the clean counterpart of every hallucinated example, and a dataset can be
// produced in independent chunks (startIndex) with identical results.
import { answersMatch } from '../../../shared/answers';
import { splitSteps, stepIndexAt } from '../../../shared/steps';
import type { ExampleInput, HallucinationType, InjectedError, Split } from '../../../shared/types/dataset';
import { getSyntheticTask } from './catalog';
import { renderDraft } from './draft';
import { injectAnswerMismatch, injectIrrelevant, injectSkippedStep } from './faults';
import { resolveSyntheticOptions, type SyntheticOptions, type SyntheticSettings } from './options';
import { mixSeed, Rng, seedWords } from './prng';
import { dealSplits } from './splits';
import type { Draft, FaultedDraft, Problem, SyntheticTask } from './types';

const PROBLEM_STREAM = 0x70726f62; // "prob"
const HALLUCINATION_STREAM = 0x68616c6c; // "hall"

/** Types that, when the teacher keeps reasoning from them, change the final answer. */
export const ANSWER_AFFECTING_TYPES: readonly HallucinationType[] = [
  'arithmetic_slip',
  'quantity_misread',
  'contradictory_statement',
  'answer_mismatch',
];

function injectFault(
  task: SyntheticTask,
  problem: Problem,
  clean: Draft,
  type: HallucinationType,
  propagate: boolean,
  rng: Rng,
): FaultedDraft | null {
  switch (type) {
    case 'irrelevant_statement':
      return injectIrrelevant(task, problem, clean, rng);
    case 'skipped_step':
      return injectSkippedStep(clean, rng);
    case 'answer_mismatch':
      return injectAnswerMismatch(task, problem, clean, rng);
    case 'arithmetic_slip':
    case 'quantity_misread':
    case 'contradictory_statement':
      return task.inject(problem, type, propagate, rng);
  }
}

/** Draws a type by weight; a type this problem offers no place for is dropped and another drawn. */
function injectSomeFault(
  task: SyntheticTask,
  problem: Problem,
  clean: Draft,
  settings: SyntheticSettings,
  rng: Rng,
): { type: HallucinationType; faulted: FaultedDraft } | null {
  const pool = Object.entries(settings.hallucinationTypes) as [HallucinationType, number][];
  const propagate = !settings.keepAnswerCorrect;
  while (pool.length > 0) {
    const at = rng.weightedIndex(pool.map(([, w]) => w));
    const type = pool[at]![0];
    const faulted = injectFault(task, problem, clean, type, propagate, rng);
    if (faulted) return { type, faulted };
    pool.splice(at, 1);
  }
  return null;
}

/**
 * Generates example number `index` of a dataset with the given resolved settings. `split` is the
 * example's split when already dealt (null: left to the caller, random split only); with the
 * compositional split a test example gets the held-out structure (test sizes, larger numbers).
 */
export function generateExample(settings: SyntheticSettings, index: number, split: Split | null = null): ExampleInput {
  const task = getSyntheticTask(settings.task);
  if (settings.split === 'compositional' && split === null) {
    throw new Error(`synthetic ${settings.task} #${index}: the compositional split needs the example's split`);
  }
  const heldOut = settings.split === 'compositional' && split === 'test';
  const [lo, hi] = seedWords(settings.seed);
  const problemRng = new Rng(mixSeed(lo, hi, index, PROBLEM_STREAM));
  const size = heldOut ? problemRng.int(settings.testMinSize!, settings.testMaxSize!) : problemRng.int(settings.minSize, settings.maxSize);
  const problem = task.sample(problemRng, size, heldOut);
  const clean = task.render(problem);

  const hallRng = new Rng(mixSeed(lo, hi, index, HALLUCINATION_STREAM));
  const selected = hallRng.next() < settings.hallucinationRate;
  const fault = selected ? injectSomeFault(task, problem, clean, settings, hallRng) : null;

  const draft = fault ? fault.faulted.draft : clean;
  const rendered = renderDraft(draft);
  const steps = splitSteps(rendered.rationale);
  if (steps.length !== draft.steps.length) {
    throw new Error(`synthetic ${settings.task} #${index}: built ${draft.steps.length} steps but splitSteps finds ${steps.length}`);
  }
  const injected: InjectedError[] = [];
  if (fault) {
    if (!rendered.span) throw new Error(`synthetic ${settings.task} #${index}: ${fault.type} marked no text`);
    injected.push({
      type: fault.type,
      step: stepIndexAt(steps, rendered.span.start),
      start: rendered.span.start,
      end: rendered.span.end,
      original: fault.faulted.original,
      note: fault.faulted.note,
    });
  }
  const teacherAnswer = draft.teacherAnswer;
  const correct = answersMatch(task.answerType, teacherAnswer, problem.answer, problem.choices);
  const hallucinated = fault !== null;
  return {
    externalId: `${settings.task}-${index}`,
    question: problem.question,
    answer: problem.answer,
    answerType: task.answerType,
    choices: problem.choices,
    completions: [{ rationale: rendered.rationale, teacherAnswer, source: 'synthetic', correct, injected }],
    split,
    tags: hallucinated ? ['synthetic', settings.task, 'hallucinated', `hallucination:${fault.type}`] : ['synthetic', settings.task],
    metadata: {
      generation: settings,
      index,
      size,
      hallucinated,
      hallucinationType: fault?.type ?? null,
      // Selected for an error but no requested type fitted this problem (kept clean).
      hallucinationInfeasible: selected && !hallucinated,
      facts: problem.facts,
      pattern: task.pattern(problem),
      heldOutStructure: heldOut,
      // The rationale without the injected error, the reference for rationale similarity and
      // validation loss (docs/methods.md, "Clean reference rationale"); only on hallucinated examples.
      ...(hallucinated ? { cleanRationale: renderDraft(clean).rationale } : {}),
    },
  };
}

/**
 * Streams examples one at a time (constant memory, for 100,000+ examples). With the random split
 * examples come with split null (dealt later by generateSyntheticDataset); with the compositional
 * split the splits are dealt first (an array of n labels) because they decide the structure.
 */
export function* iterateSynthetic(options: SyntheticOptions): Generator<ExampleInput, void, undefined> {
  const settings = resolveSyntheticOptions(options);
  const splits = settings.split === 'compositional' ? dealSplits(settings.n, settings.seed) : null;
  for (let i = 0; i < settings.n; i++) yield generateExample(settings, settings.startIndex + i, splits ? splits[i]! : null);
}

export function generateSynthetic(options: SyntheticOptions): ExampleInput[] {
  return Array.from(iterateSynthetic(options));
}
