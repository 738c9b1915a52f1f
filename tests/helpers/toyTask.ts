// The toy task of the training-engine and numerics tests: the answer is the first letter of a
// four-letter question, and the rationale says so. Learnable in a few steps by a micro model.
import type { TrainExample } from '../../src/main/lab/training/methods';
import { Rng } from '../../src/main/lab/training/rng';

export function toyExamples(n: number, seed: number): TrainExample[] {
  const rng = new Rng(seed);
  const letters = 'abcdefgh';
  return Array.from({ length: n }, (_, i) => {
    const w = Array.from({ length: 4 }, () => letters[rng.index(letters.length)]).join('');
    return {
      id: `${seed}-${i}`,
      question: `${w}?`,
      answer: w[0]!,
      answerType: 'text' as const,
      choices: null,
      rationale: `first is ${w[0]}`,
    };
  });
}
