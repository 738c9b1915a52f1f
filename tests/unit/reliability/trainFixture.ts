// A micro training set-up shared by the crash tests and the child process they kill
// (trainChild.ts): same data, same config, so an uninterrupted run in the test is the reference.
import { resolveMethodConfig, type TrainExample } from '../../../src/main/lab/training/methods';
import { Rng } from '../../../src/main/lab/training/rng';
import { defaultTrainConfig, type TrainConfig } from '../../../src/main/lab/training/trainer';

export const STEPS = 30;
export const CHECKPOINT_EVERY = 10;

/** Toy task: the answer is the first letter of the question; the rationale says so. */
export function toyData(): TrainExample[] {
  const rng = new Rng(11);
  const letters = 'abcdefgh';
  return Array.from({ length: 32 }, (_, i) => {
    const w = Array.from({ length: 4 }, () => letters[rng.index(letters.length)]).join('');
    return {
      id: `t-${i}`,
      question: `${w}?`,
      answer: w[0]!,
      answerType: 'text' as const,
      choices: null,
      rationale: `first is ${w[0]}`,
    };
  });
}

export function microConfig(): TrainConfig {
  return defaultTrainConfig(resolveMethodConfig({ method: 'post-thinking' }), {
    steps: STEPS,
    batchSize: 8,
    lr: 3e-3,
    warmupSteps: 2,
    evalEvery: 0,
    valMaxExamples: 4,
    checkpointEvery: CHECKPOINT_EVERY,
    model: { layers: 1, width: 16, heads: 2, context: 32, dropout: 0.1 },
  });
}
