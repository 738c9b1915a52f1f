import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../src/main/lab/lab';
import type { LabelState, QueueItem, SpanInput } from '../../../../src/shared/types/annotations';
import { openTempLab } from '../../../helpers/tempLab';
import { fails, ok } from './helpers';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
let dataset: number;
let items: QueueItem[];

beforeAll(async () => {
  ({ lab, dataDir, cleanup } = openTempLab());
  dataset = (await ok(lab, 'datasets.generate', { task: 'arithmetic', n: 40, seed: 5, hallucinationRate: 0.5 })).datasetId;
  items = (await ok(lab, 'annotations.queue', { dataset, annotator: 'alice' })).items;
});
afterAll(() => cleanup());

const ref = (i: number, annotator = 'alice') => ({ dataset, example: items[i]!.example, completion: items[i]!.completion, annotator });

/** Labels: the default layout with step `bad` rated -1 and a span on it, verdict hallucinated. */
async function labelsFor(i: number, bad: number | null, annotator = 'alice'): Promise<LabelState> {
  const v = await ok(lab, 'annotations.get', ref(i, annotator));
  const steps = v.layout.map((s, k) => ({ start: s.start, end: s.end, rating: k === bad ? (-1 as const) : (1 as const), errorType: k === bad ? ('arithmetic' as const) : null }));
  const b = bad === null ? null : v.layout[bad]!;
  return {
    verdict: { verdict: bad === null ? 'faithful' : 'hallucinated', answerSupported: 'yes', endReason: bad === null ? 'done' : 'found_error' },
    steps,
    spans: b ? [{ start: b.start, end: Math.min(b.end, b.start + 5), errorType: 'arithmetic' as const, comment: 'wrong sum', correction: '12' }].map((sp): SpanInput => {
      // Keep the id of the same span saved before (a span without id is a new span).
      const same = v.mine?.spans.find((x) => !x.deleted && x.start === sp.start && x.end === sp.end);
      return same ? { ...sp, id: same.id } : sp;
    }) : [],
  };
}

describe('annotation store through the channels', () => {
  it('refuses an empty or reserved annotator name with a clear error', async () => {
    const e = await fails(lab, 'annotations.get', { ...ref(0), annotator: '  ' });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/annotator name is empty.*Settings/);
    expect((await fails(lab, 'annotations.get', { ...ref(0), annotator: 'auto' })).message).toMatch(/reserved/);
  });

  it('round-trips a save: verdict, step ratings, a span with comment and correction, derived first error, time spent', async () => {
    const before = await ok(lab, 'annotations.get', ref(0));
    expect(before.mine).toBeNull();
    expect(before.layout.length).toBeGreaterThan(1);
    const saved = await ok(lab, 'annotations.save', { ...ref(0), labels: await labelsFor(0, 1), timeSpentMs: 1500 });
    expect(saved.firstErrorStep).toBe(1);
    expect(saved.mine!.verdict).toMatchObject({ verdict: 'hallucinated', provenance: 'human' });
    expect(saved.mine!.steps[1]).toMatchObject({ rating: -1, errorType: 'arithmetic', provenance: 'human' });
    expect(saved.mine!.spans).toHaveLength(1);
    expect(saved.mine!.spans[0]).toMatchObject({ step: 1, comment: 'wrong sum', correction: '12', provenance: 'human', deleted: false });
    const again = await ok(lab, 'annotations.save', { ...ref(0), labels: await labelsFor(0, 1), timeSpentMs: 500 });
    expect(again.mine!.timeSpentMs).toBe(2000);
    // Unchanged labels keep their timestamps.
    expect(again.mine!.spans).toHaveLength(1);
    expect(again.mine!.spans[0]!.createdAt).toBe(saved.mine!.spans[0]!.createdAt);
    expect(again.canUndo).toBe(true);
    const reread = await ok(lab, 'annotations.get', ref(0));
    expect(reread.mine).toEqual(again.mine);
    // A "faithful" verdict with an incorrect step is inconsistent.
    const inconsistent = await labelsFor(0, 1);
    inconsistent.verdict!.verdict = 'faithful';
    const warned = await ok(lab, 'annotations.save', { ...ref(0), labels: inconsistent, timeSpentMs: 0 });
    expect(warned.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['faithful_with_incorrect_step', 'faithful_with_error_span']));
    await ok(lab, 'annotations.undo', { dataset, annotator: 'alice' });
  });

  it('refuses steps that overlap or leave the rationale, with the field in the message', async () => {
    const labels = await labelsFor(1, null);
    labels.steps[1] = { ...labels.steps[1]!, start: labels.steps[0]!.start };
    const e = await fails(lab, 'annotations.save', { ...ref(1), labels, timeSpentMs: 0 });
    expect(e).toMatchObject({ code: 'INVALID_INPUT' });
    expect(e.message).toMatch(/steps\[1\]/);
  });

  it('undoes and redoes saves per annotator, and a new change clears the redo stack', async () => {
    const a = await ok(lab, 'annotations.save', { ...ref(2), labels: await labelsFor(2, null), timeSpentMs: 100 });
    expect(a.mine!.verdict!.verdict).toBe('faithful');
    const b = await ok(lab, 'annotations.save', { ...ref(2), labels: await labelsFor(2, 0), timeSpentMs: 100 });
    expect(b.mine!.verdict!.verdict).toBe('hallucinated');
    expect(b.canUndo).toBe(true);
    // Bob's history is his own.
    expect((await ok(lab, 'annotations.undo', { dataset, annotator: 'bob' })).changed).toBeNull();
    const u1 = await ok(lab, 'annotations.undo', { dataset, annotator: 'alice' });
    expect(u1.changed).toEqual({ externalId: items[2]!.externalId, completion: 0 });
    expect(u1.view!.mine!.verdict!.verdict).toBe('faithful');
    expect(u1.view!.mine!.timeSpentMs).toBe(200); // time spent is not undone
    expect(u1.canRedo).toBe(true);
    const r1 = await ok(lab, 'annotations.redo', { dataset, annotator: 'alice' });
    expect(r1.view!.mine!.verdict!.verdict).toBe('hallucinated');
    await ok(lab, 'annotations.undo', { dataset, annotator: 'alice' });
    const u2 = await ok(lab, 'annotations.undo', { dataset, annotator: 'alice' });
    expect(u2.view!.mine).toBeNull(); // back to before the first save
    await ok(lab, 'annotations.redo', { dataset, annotator: 'alice' });
    await ok(lab, 'annotations.save', { ...ref(2), labels: await labelsFor(2, 1), timeSpentMs: 0 });
    const after = await ok(lab, 'annotations.get', ref(2));
    expect(after.canRedo).toBe(false);
  });

  it('stores checker suggestions as auto, and accept / reject / edit keep provenance', async () => {
    const run = await ok(lab, 'annotations.runCheckers', { dataset });
    expect(run.rationales).toBe(40);
    expect(run.flagged).toBeGreaterThan(0);
    const again = await ok(lab, 'annotations.runCheckers', { dataset });
    expect(again.findings).toBe(run.findings);
    const flagged = (await ok(lab, 'annotations.queue', { dataset, annotator: 'carol', filter: 'auto-flagged' })).items;
    expect(flagged.length).toBe(run.flagged);
    const target = flagged[0]!;
    const r = { dataset, example: target.example, completion: target.completion, annotator: 'carol' };
    const view = await ok(lab, 'annotations.get', r);
    expect(view.suggestions!.spans.every((s) => s.provenance === 'auto')).toBe(true);
    expect(view.pendingSuggestions.length).toBeGreaterThan(0);
    const first = view.pendingSuggestions[0]!;
    const accepted = await ok(lab, 'annotations.acceptSuggestion', { ...r, spanId: first.id });
    const span = accepted.mine!.spans.find((s) => s.id === first.id)!;
    expect(span).toMatchObject({ provenance: 'accepted', suggestion: { checker: first.suggestion!.checker } });
    expect(accepted.mine!.steps[span.step]!.rating).toBe(-1);
    expect(accepted.pendingSuggestions.find((s) => s.id === first.id)).toBeUndefined();
    // Editing the accepted span's type makes it "edited".
    const labels: LabelState = {
      verdict: null,
      steps: accepted.mine!.steps.map((s) => ({ start: s.start, end: s.end, rating: s.rating, errorType: s.errorType })),
      spans: accepted.mine!.spans.map((s) => ({ id: s.id, start: s.start, end: s.end, errorType: 'other', comment: s.comment, correction: s.correction })),
    };
    const edited = await ok(lab, 'annotations.save', { ...r, labels, timeSpentMs: 0 });
    expect(edited.mine!.spans.find((s) => s.id === first.id)!.provenance).toBe('edited');
    if (edited.pendingSuggestions.length > 0) {
      const rejected = await ok(lab, 'annotations.rejectSuggestion', r);
      expect(rejected.pendingSuggestions).toEqual([]);
      expect(rejected.mine!.spans.filter((s) => s.provenance === 'rejected').length).toBe(edited.pendingSuggestions.length);
    }
  });

  it('lists the queue by filter and shows the status in the dataset table', async () => {
    const mine = await ok(lab, 'annotations.queue', { dataset, annotator: 'alice', filter: 'labelled' });
    expect(mine.items.map((i) => i.example).sort()).toEqual([items[0]!.example, items[2]!.example].sort());
    const un = await ok(lab, 'annotations.queue', { dataset, annotator: 'alice', filter: 'unlabelled' });
    expect(un.total).toBe(40 - 2);
    const table = await ok(lab, 'datasets.examples', { dataset, annotationStatus: 'hallucinated' });
    expect(table.rows.map((r) => r.id).sort()).toEqual(mine.items.map((i) => i.example).sort());
    const page = await ok(lab, 'datasets.examples', { dataset, limit: 1000 });
    expect(page.rows.find((r) => r.id === items[0]!.example)!.annotationStatus).toBe('hallucinated');
    expect(page.rows.filter((r) => r.annotationStatus === 'unlabelled').length + page.rows.filter((r) => r.annotationStatus !== 'unlabelled').length).toBe(40);
  });

  it('computes agreement through the channel and shows disagreement in the queue', async () => {
    // Bob agrees with alice on item 0 and disagrees on item 2.
    await ok(lab, 'annotations.save', { ...ref(0, 'bob'), labels: await labelsFor(0, 1, 'bob'), timeSpentMs: 10 });
    await ok(lab, 'annotations.save', { ...ref(2, 'bob'), labels: await labelsFor(2, null, 'bob'), timeSpentMs: 10 });
    const r = await ok(lab, 'annotations.agreement', { dataset });
    expect(r.annotators).toEqual(['alice', 'bob', 'carol']);
    const pair = r.pairs.find((p) => p.a === 'alice' && p.b === 'bob')!;
    expect(pair.items).toBe(2);
    expect(pair.verdictKappa.n).toBe(2);
    expect(pair.verdictKappa.observed).toBe(0.5);
    expect(pair.spans.overlap.tp).toBe(1); // the span on item 0 matches; item 2's is alice's only
    expect(r.verdictAlpha.units).toBe(2);
    const dis = await ok(lab, 'annotations.queue', { dataset, annotator: 'alice', filter: 'disagreement' });
    expect(dis.items.map((i) => i.example)).toEqual([items[2]!.example]);
    // Gold resolves the disagreement.
    const adj = await ok(lab, 'annotations.adjudication', { dataset, example: items[2]!.example });
    expect(adj.disagreement).toBe(true);
    expect(adj.annotations.map((a) => a.annotator)).toEqual(['alice', 'bob']);
    const gold = await ok(lab, 'annotations.saveGold', { ...ref(2, 'dana'), fromAnnotator: 'bob' });
    expect(gold.gold).toMatchObject({ annotator: 'dana', sources: ['alice', 'bob'], verdict: { verdict: 'faithful' } });
    const table = await ok(lab, 'datasets.examples', { dataset, annotationStatus: 'faithful' });
    expect(table.rows.map((x) => x.id)).toContain(items[2]!.example);
  });

  it('keeps provenance through export -> import into a fresh dataset, and re-import adds nothing', async () => {
    const out = path.join(dataDir, 'ann.jsonl');
    const exp = await ok(lab, 'annotations.export', { dataset, out });
    expect(exp.annotators).toEqual(['alice', 'auto', 'bob', 'carol']);
    expect(exp.gold).toBe(1);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(exp.lines);
    // Same generator settings: same external ids and rationales.
    const copy = (await ok(lab, 'datasets.generate', { task: 'arithmetic', n: 40, seed: 5, hallucinationRate: 0.5, name: 'copy' })).datasetId;
    const first = await ok(lab, 'annotations.import', { dataset: copy, path: out });
    expect(first).toMatchObject({ records: exp.lines, added: exp.lines, updated: 0, unchanged: 0, conflicts: [], skipped: [] });
    const second = await ok(lab, 'annotations.import', { dataset: copy, path: out });
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: exp.lines });
    const copyItems = (await ok(lab, 'annotations.queue', { dataset: copy, annotator: 'carol', filter: 'labelled' })).items;
    const v = await ok(lab, 'annotations.get', { dataset: copy, example: copyItems[0]!.example, completion: 0, annotator: 'carol' });
    const original = await ok(lab, 'annotations.queue', { dataset, annotator: 'carol', filter: 'labelled' });
    const o = await ok(lab, 'annotations.get', { dataset, example: original.items[0]!.example, completion: 0, annotator: 'carol' });
    expect(v.mine).toEqual(o.mine);
    expect(new Set(v.mine!.spans.map((s) => s.provenance))).toEqual(new Set(o.mine!.spans.map((s) => s.provenance)));
    expect(v.mine!.spans.some((s) => s.provenance === 'edited')).toBe(true);
    const all = (await ok(lab, 'annotations.queue', { dataset: copy, annotator: 'x' })).items;
    const g = await ok(lab, 'annotations.adjudication', { dataset: copy, example: all.find((i) => i.externalId === items[2]!.externalId)!.example });
    expect(g.gold).toMatchObject({ annotator: 'dana', verdict: { verdict: 'faithful' } });
  });

  it('reports bad import lines with file, line and field, and imports nothing', async () => {
    const bad = path.join(dataDir, 'bad.jsonl');
    const good = fs.readFileSync(path.join(dataDir, 'ann.jsonl'), 'utf8').split('\n')[0]!;
    fs.writeFileSync(bad, `${good}\n{"format":"pst-lab-annotation"\n${good.replace('"completionIndex":0', '"completionIndex":-1')}\n`);
    const e = await lab.dispatch('annotations.import', { dataset, path: bad });
    expect(e.ok).toBe(false);
    if (e.ok) return;
    expect(e.error.code).toBe('BAD_FILE');
    const problems = (e.error.details as { problems: { line: number; field: string }[] }).problems;
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(problems[1]!.field).toBe('completionIndex');
  });
});

describe('training subsets from human verdicts', () => {
  it('verified-faithful keeps unanimous or gold faithful, hallucinated-only the hallucinated; disagreement and other texts drop out', async () => {
    const { loadTrainingData } = await import('../../../../src/main/lab/runs/trainingData');
    const train = (await ok(lab, 'annotations.queue', { dataset, annotator: 'erin', split: 'train' })).items.filter((i) => i.status === 'unlabelled' || i.status === 'auto-flagged');
    const [f, h, d] = train;
    const save = async (it: QueueItem, annotator: string, verdict: 'faithful' | 'hallucinated'): Promise<void> => {
      const v = await ok(lab, 'annotations.get', { dataset, example: it.example, completion: 0, annotator });
      const steps = v.layout.map((s) => ({ start: s.start, end: s.end, rating: verdict === 'faithful' ? (1 as const) : null, errorType: null }));
      await ok(lab, 'annotations.save', { dataset, example: it.example, completion: 0, annotator, labels: { verdict: { verdict, answerSupported: null, endReason: null }, steps, spans: [] }, timeSpentMs: 0 });
    };
    await save(f!, 'erin', 'faithful');
    await save(f!, 'fred', 'faithful');
    await save(h!, 'erin', 'hallucinated');
    await save(d!, 'erin', 'faithful');
    await save(d!, 'fred', 'hallucinated');
    const versionId = (await ok(lab, 'annotations.queue', { dataset, annotator: 'erin' })).versionId;
    const ids = (subset: 'verified-faithful' | 'hallucinated-only'): string[] => {
      try {
        return loadTrainingData(lab.db, versionId, subset).train.map((t) => t.id);
      } catch {
        return [];
      }
    };
    const faithful = ids('verified-faithful');
    const hallucinated = ids('hallucinated-only');
    expect(faithful).toContain(`${f!.example}#0`);
    expect(faithful).not.toContain(`${d!.example}#0`);
    expect(faithful).not.toContain(`${h!.example}#0`);
    expect(hallucinated).toContain(`${h!.example}#0`);
    expect(hallucinated).not.toContain(`${d!.example}#0`);
    // Gold decides a disagreement.
    await ok(lab, 'annotations.saveGold', { dataset, example: d!.example, annotator: 'dana', fromAnnotator: 'fred' });
    expect(ids('hallucinated-only')).toContain(`${d!.example}#0`);
    // 'all' is unchanged by labels.
    expect(loadTrainingData(lab.db, versionId, 'all').train.length).toBe((await ok(lab, 'annotations.queue', { dataset, annotator: 'erin', split: 'train' })).total);
  });
});
