// Every injected error's ground truth points exactly at the injected text, in the right step, and
// putting `original` back restores the clean rationale (same seed, rate 0).
import { describe, expect, it } from 'vitest';
import { ANSWER_AFFECTING_TYPES, generateSynthetic, SYNTHETIC_TASKS } from '../../../src/main/lab/synthetic';
import { answersMatch, extractAnswer } from '../../../src/shared/answers';
import { splitSteps, stepIndexAt } from '../../../src/shared/steps';
import type { HallucinationType } from '../../../src/shared/types/dataset';
import { only, TASKS } from './helpers';

const N = 300;
const INSERTIONS: readonly HallucinationType[] = ['irrelevant_statement', 'contradictory_statement'];

describe('ground-truth spans of injected errors', () => {
  for (const task of TASKS) {
    for (const keepAnswerCorrect of [true, false]) {
      it(`${task}, keepAnswerCorrect=${keepAnswerCorrect}: spans, steps and originals are exact`, () => {
        const seed = 21;
        const clean = generateSynthetic({ task, n: N, seed });
        const noisy = generateSynthetic({ task, n: N, seed, hallucinationRate: 1, keepAnswerCorrect });
        const seenTypes = new Set<string>();
        noisy.forEach((ex, i) => {
          const c = only(ex);
          const cleanRationale = only(clean[i]!).rationale;
          const r = c.rationale;
          expect(c.injected).toHaveLength(1);
          const err = c.injected![0]!;
          seenTypes.add(err.type);
          expect(ex.metadata.hallucinated).toBe(true);
          expect(ex.metadata.hallucinationType).toBe(err.type);
          expect(ex.tags).toEqual(['synthetic', task, 'hallucinated', `hallucination:${err.type}`]);

          // The span is non-empty, inside the step that splitSteps puts there.
          const steps = splitSteps(r);
          expect(err.start).toBeLessThan(err.end);
          expect(err.step).toBe(stepIndexAt(steps, err.start));
          expect(err.end).toBeLessThanOrEqual(steps[err.step]!.end);
          const injectedText = r.slice(err.start, err.end);
          expect(injectedText).not.toBe(err.original);
          // Nothing before the error changed.
          expect(cleanRationale.slice(0, err.start)).toBe(r.slice(0, err.start));

          if (INSERTIONS.includes(err.type)) {
            // An inserted sentence is one whole step and was not there before.
            expect(err.original).toBe('');
            expect(steps[err.step]).toEqual({ start: err.start, end: err.end });
            expect(cleanRationale).not.toContain(injectedText);
          } else if (err.type === 'skipped_step') {
            // The span is the whole step that now uses an underived value; `original` holds the
            // removed step then that step, exactly as the clean rationale had them.
            expect(steps[err.step]).toEqual({ start: err.start, end: err.end });
            expect(err.original).toBe(`${cleanRationale.slice(err.start).split('\n')[0]}\n${injectedText}`);
            expect(steps.length).toBe(splitSteps(cleanRationale).length - 1);
          } else {
            // A replacement: the clean rationale had `original` where the injected text is.
            expect(cleanRationale.slice(err.start, err.start + err.original.length)).toBe(err.original);
          }
          if (keepAnswerCorrect) {
            // Local errors: undoing the injection gives back the clean rationale exactly.
            let restored = r.slice(0, err.start) + err.original + r.slice(err.end);
            if (err.original === '') restored = restored.replace(/^\n|\n(?=\n)|\n$/, '');
            expect(restored).toBe(cleanRationale);
          }

          // Teacher answer and its correctness flag.
          expect(c.correct).toBe(answersMatch(ex.answerType, c.teacherAnswer!, ex.answer, ex.choices));
          const affects = ANSWER_AFFECTING_TYPES.includes(err.type);
          if (err.type === 'answer_mismatch') {
            // The teacher answer is the conclusion the rationale states, whatever keepAnswerCorrect
            // says, so the teacher-correct subset filters it as with a real teacher.
            const concluded = extractAnswer(ex.answerType, r.split('\n').pop()!.replace(/^.*the answer is /, '').replace(/\.$/, ''), ex.choices);
            expect(concluded).not.toBe(ex.answer);
            expect(answersMatch(ex.answerType, c.teacherAnswer!, concluded!, ex.choices)).toBe(true);
            expect(c.correct).toBe(false);
          } else {
            expect(c.correct).toBe(keepAnswerCorrect || !affects);
          }
          // The clean counterpart is stored for reference-based metrics (docs/methods.md).
          expect(ex.metadata['cleanRationale']).toBe(cleanRationale);
        });
        const info = SYNTHETIC_TASKS.find((t) => t.name === task)!;
        expect([...seenTypes].sort()).toEqual(Object.keys(info.hallucinationTypes).sort());
      });
    }
  }

  it('examples left clean carry no injected errors and match the rate-0 output', () => {
    for (const task of TASKS) {
      const clean = generateSynthetic({ task, n: 200, seed: 8 });
      const mixed = generateSynthetic({ task, n: 200, seed: 8, hallucinationRate: 0.3, keepAnswerCorrect: false });
      let cleanCount = 0;
      mixed.forEach((ex, i) => {
        if (ex.metadata.hallucinated) return;
        cleanCount++;
        expect(only(ex).injected).toEqual([]);
        expect(only(ex).correct).toBe(true);
        expect(ex.tags).not.toContain('hallucinated');
        expect(only(ex).rationale).toBe(only(clean[i]!).rationale);
      });
      expect(cleanCount).toBeGreaterThan(100);
    }
  });

  it('arithmetic slips show a wrong result in "x op y = r"', () => {
    const exs = generateSynthetic({ task: 'arithmetic', n: 200, seed: 4, hallucinationRate: 1, hallucinationTypes: ['arithmetic_slip'] });
    for (const ex of exs) {
      const c = only(ex);
      const err = c.injected![0]!;
      const stepText = c.rationale.slice(splitSteps(c.rationale)[err.step]!.start);
      const m = stepText.match(/(\d+) ([-+*/]) (\d+) = (\d+)/)!;
      const [x, op, y, r] = [Number(m[1]), m[2], Number(m[3]), Number(m[4])];
      const right = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
      expect(r).not.toBe(right);
      expect(String(r)).toBe(c.rationale.slice(err.start, err.end));
    }
  });
});
