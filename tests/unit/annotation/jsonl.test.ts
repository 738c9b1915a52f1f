import { describe, expect, it } from 'vitest';
import {
  formatLocatedError,
  makeSpanId,
  mergeAnnotations,
  parseAnnotationsJsonl,
  parseAnnotationsJsonlStrict,
  rationaleFingerprint,
  serializeAnnotation,
  serializeAnnotationsJsonl,
  type RationaleAnnotation,
  type SpanLabel,
} from '../../../src/main/lab/annotation/logic';

const R = 'Tom had 15 apples. He ate 5. So 15 - 5 = 9 apples are left.';
const T0 = '2025-01-01T10:00:00.000Z';
const T1 = '2025-01-02T10:00:00.000Z';
const T2 = '2025-01-03T10:00:00.000Z';

function span(start: number, end: number, updatedAt = T0, extra: Partial<SpanLabel> = {}): SpanLabel {
  return { id: makeSpanId('alice', start, end, T0), start, end, step: 2, errorType: 'arithmetic', comment: null, correction: null, deleted: false, provenance: 'human', createdAt: T0, updatedAt, ...extra };
}

function annotation(extra: Partial<RationaleAnnotation> = {}): RationaleAnnotation {
  return {
    exampleId: 'ex-1',
    completionIndex: 0,
    annotator: 'alice',
    rationaleFingerprint: rationaleFingerprint(R),
    verdict: { verdict: 'hallucinated', answerSupported: 'no', endReason: 'found_error', provenance: 'human', createdAt: T0, updatedAt: T0 },
    steps: [
      { start: 0, end: 18, rating: 1, errorType: null, provenance: 'human', createdAt: T0, updatedAt: T0 },
      { start: 19, end: 28, rating: 1, errorType: null, provenance: 'human', createdAt: T0, updatedAt: T0 },
      { start: 29, end: 59, rating: -1, errorType: 'arithmetic', provenance: 'accepted', createdAt: T0, updatedAt: T0, suggestion: { checker: 'arithmetic', confidence: 0.9, message: 'm' } },
    ],
    spans: [span(32, 42)],
    timeSpentMs: 4200,
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

describe('annotation JSONL', () => {
  it('round-trips annotations with provenance, suggestions and timestamps', () => {
    const a = annotation();
    const b = annotation({ annotator: 'bob', verdict: null, spans: [] });
    const text = serializeAnnotationsJsonl([a, b], 'gsm8k-small');
    expect(text.split('\n')).toHaveLength(3);
    const { records, errors } = parseAnnotationsJsonl(text, 'out.jsonl');
    expect(errors).toEqual([]);
    expect(records.map((r) => r.annotation)).toEqual([a, b]);
    expect(records[0]!.dataset).toBe('gsm8k-small');
    expect(JSON.parse(serializeAnnotation(a)).format).toBe('pst-lab-annotation');
  });
  it('reports every bad line with file, line, field and reason', () => {
    const good = serializeAnnotation(annotation());
    const badField = JSON.parse(good);
    badField.spans[0].errorType = 'typo';
    badField.steps[2].rating = 2;
    const badOrder = JSON.parse(good);
    badOrder.steps[1].start = 5;
    const badTime = JSON.parse(good);
    badTime.updatedAt = 'yesterday';
    const extra = { ...JSON.parse(good), annotator: 'carol', surprise: 1 };
    const text = [good, '{not json', JSON.stringify(badField), '', JSON.stringify(badOrder), JSON.stringify(badTime), good, JSON.stringify(extra)].join('\n');
    const { records, errors } = parseAnnotationsJsonl(text, 'import.jsonl');
    expect(records).toHaveLength(1);
    const located = errors.map((e) => [e.line, e.field]);
    expect(located).toEqual([
      [2, ''],
      [3, 'steps[2].rating'],
      [3, 'spans[0].errorType'],
      [5, 'steps[1].start'],
      [6, 'updatedAt'],
      [7, ''],
      [8, ''],
    ]);
    expect(errors.find((e) => e.line === 7)!.reason).toMatch(/duplicate of line 1/);
    expect(errors.find((e) => e.line === 8)!.reason).toMatch(/surprise/);
    expect(formatLocatedError(errors[1]!)).toMatch(/^import\.jsonl:3: steps\[2\]\.rating: /);
    expect(() => parseAnnotationsJsonlStrict(text, 'import.jsonl')).toThrow(/7 problems[\s\S]*import\.jsonl:5: steps\[1\]\.start/);
  });
});

describe('merging re-imported annotations', () => {
  it('re-importing the same export changes nothing', () => {
    const a = annotation();
    const again = parseAnnotationsJsonlStrict(serializeAnnotationsJsonl([a])).map((r) => r.annotation);
    const r = mergeAnnotations([a], again);
    expect(r).toMatchObject({ added: 0, updated: 0, unchanged: 1, conflicts: [] });
    expect(r.annotations).toEqual([a]);
  });
  it('adds new items and annotators, newer labels win, older exports change nothing', () => {
    const existing = annotation();
    const newer = annotation({
      verdict: { ...existing.verdict!, verdict: 'unsure', updatedAt: T1 },
      spans: [span(32, 42, T1, { errorType: 'logical_leap' }), span(3, 7, T1)],
      timeSpentMs: 9000,
      updatedAt: T1,
    });
    const older = annotation({ verdict: { ...existing.verdict!, verdict: 'faithful', updatedAt: '2024-12-01T00:00:00.000Z' } });
    const other = annotation({ annotator: 'bob' });
    const r = mergeAnnotations([existing], [newer, older, other]);
    expect(r).toMatchObject({ added: 1, updated: 1, unchanged: 1 });
    const alice = r.annotations.find((a) => a.annotator === 'alice')!;
    expect(alice.verdict!.verdict).toBe('unsure');
    expect(alice.spans.map((s) => [s.start, s.errorType])).toEqual([
      [3, 'arithmetic'],
      [32, 'logical_leap'],
    ]);
    expect(alice.spans[0]!.step).toBe(0); // re-derived from the layout
    expect(alice.timeSpentMs).toBe(9000);
    expect(alice.updatedAt).toBe(T1);
  });
  it('keeps deletions (tombstones) and merges steps per layout', () => {
    const existing = annotation({ spans: [span(32, 42, T2, { deleted: true })] });
    const stale = annotation();
    expect(mergeAnnotations([existing], [stale]).annotations[0]!.spans[0]!.deleted).toBe(true);
    // Same layout: per-step newest wins.
    const rerated = annotation();
    rerated.steps[1] = { ...rerated.steps[1]!, rating: 0, updatedAt: T1 };
    expect(mergeAnnotations([annotation()], [rerated]).annotations[0]!.steps.map((s) => s.rating)).toEqual([1, 0, -1]);
    // Different layout: the more recently edited layout is taken whole.
    const relaid = annotation({ steps: [{ start: 0, end: 28, rating: 1, errorType: null, provenance: 'human', createdAt: T0, updatedAt: T2 }, { start: 29, end: 59, rating: -1, errorType: 'arithmetic', provenance: 'human', createdAt: T0, updatedAt: T2 }] });
    const merged = mergeAnnotations([annotation()], [relaid]).annotations[0]!;
    expect(merged.steps).toHaveLength(2);
    expect(merged.spans[0]!.step).toBe(1);
  });
  it('refuses to mix labels made on a different text', () => {
    const r = mergeAnnotations([annotation()], [annotation({ rationaleFingerprint: rationaleFingerprint(`${R} Extra.`), verdict: null })]);
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]!.reason).toMatch(/fingerprints differ/);
    expect(r.annotations[0]).toEqual(annotation());
  });
});
