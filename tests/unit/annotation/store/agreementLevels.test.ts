// Agreement through the channel against hand-computed values: answer support is nominal (yes / no
// / unsure are categories, not points on a scale), and span agreement is reported both typed (the
// error type must match) and by location alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../src/main/lab/lab';
import type { AnswerSupport, ErrorType, LabelState, QueueItem } from '../../../../src/shared/types/annotations';
import { openTempLab } from '../../../helpers/tempLab';
import { ok } from './helpers';

let lab: Lab;
let cleanup: () => void;
let dataset: number;
let items: QueueItem[];

beforeAll(async () => {
  ({ lab, cleanup } = openTempLab());
  dataset = (await ok(lab, 'datasets.generate', { task: 'arithmetic', n: 4, seed: 3, hallucinationRate: 0 })).datasetId;
  items = (await ok(lab, 'annotations.queue', { dataset, annotator: 'alice' })).items;
});
afterAll(() => cleanup());

async function label(
  i: number,
  annotator: string,
  answerSupported: AnswerSupport,
  spanType: ErrorType | null,
): Promise<void> {
  const ref = { dataset, example: items[i]!.example, completion: items[i]!.completion, annotator };
  const v = await ok(lab, 'annotations.get', ref);
  const first = v.layout[0]!;
  const labels: LabelState = {
    verdict: { verdict: 'faithful', answerSupported, endReason: 'done' },
    steps: v.layout.map((s) => ({ start: s.start, end: s.end, rating: 1, errorType: null })),
    spans: spanType
      ? [{ start: first.start, end: first.start + 4, errorType: spanType, comment: '', correction: '' }]
      : [],
  };
  await ok(lab, 'annotations.save', { ...ref, labels, timeSpentMs: 0 });
}

describe('agreement levels', () => {
  it('answer support is nominal; identical span locations with different types agree by location only', async () => {
    // alice: yes, no, unsure, yes; bob: unsure, no, yes, yes. Span on item 0: same characters,
    // alice says arithmetic, bob says other.
    const alice: AnswerSupport[] = ['yes', 'no', 'unsure', 'yes'];
    const bob: AnswerSupport[] = ['unsure', 'no', 'yes', 'yes'];
    for (let i = 0; i < 4; i++) {
      await label(i, 'alice', alice[i]!, i === 0 ? 'arithmetic' : null);
      await label(i, 'bob', bob[i]!, i === 0 ? 'other' : null);
    }
    const r = await ok(lab, 'annotations.agreement', { dataset });
    // Coincidences: (yes,unsure) x2 each way, (no,no) 2, (yes,yes) 2; n = 8, n_yes = 4, n_no = 2,
    // n_unsure = 2. Nominal: D_o = 4/8 = 0.5, D_e = (64 - 16 - 4 - 4) / (8 * 7) = 40/56,
    // alpha = 1 - 0.5 / (40/56) = 0.3. (Ordinal no < unsure < yes would give 0.5625.)
    expect(r.answerSupportAlpha.observedDisagreement).toBeCloseTo(0.5, 12);
    expect(r.answerSupportAlpha.expectedDisagreement).toBeCloseTo(40 / 56, 12);
    expect(r.answerSupportAlpha.alpha).toBeCloseTo(0.3, 12);
    const pair = r.pairs[0]!;
    expect([pair.a, pair.b]).toEqual(['alice', 'bob']);
    // Typed: the one span pair differs in type, so nothing matches (F1 0, 4 characters each side).
    expect(pair.spans.exact).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    expect(pair.spans.character).toMatchObject({ tp: 0, fp: 4, fn: 4 });
    // Location only: the same four characters, exact match.
    expect(pair.spanLocations.exact).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
    expect(pair.spanLocations.overlap.f1).toBe(1);
    expect(pair.spanLocations.character).toMatchObject({ tp: 4, fp: 0, fn: 0, f1: 1 });
  });
});
