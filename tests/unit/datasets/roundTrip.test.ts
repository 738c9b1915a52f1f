// Lossless exports: export -> re-import gives the same content hash and completions for each
// layout, repeated round trips do not grow, and annotations exported before a round trip land on
// the same examples after it (renumbered ids included).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import type { ExampleDetail } from '../../../src/shared/types/datasets';
import { callOk } from '../../helpers/call';
import type { Lab } from '../../../src/main/lab/lab';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ lab, dataDir, cleanup } = openTempLab());
});
afterEach(() => cleanup());

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> =>
  callOk(lab, channel, input);

/** A Fine-tune-CoT dataset: several completions per question, a split, extra fields, non-contiguous ids. */
function writeFinetuneCot(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const data = [
    { sample_index: 3, question: 'Tom has 3 apples and buys 4 more. How many?', answer: '7', source_url: 'x/1' },
    { sample_index: 5, question: 'A box holds 12 pens; 5 are sold. How many remain?', answer: '7' },
    {
      sample_index: 8,
      question: 'Sue reads 2 pages a day for 6 days. How many pages?',
      answer: '12',
      note: { nested: [1, 2] },
    },
  ];
  const completions = {
    '3': [
      { sample_index: 3, completion_index: 0, reasoning_completion: ' 3 + 4 = 7.', completion: ' 7' },
      { sample_index: 3, completion_index: 1, reasoning_completion: ' 3 + 4 = 8.', completion: ' 8' },
    ],
    '5': [{ sample_index: 5, completion_index: 0, reasoning_completion: '12 - 5 = 7', completion: ' 7' }],
    '8': [
      { sample_index: 8, completion_index: 0, reasoning_completion: '2 * 6 = 12 pages', completion: ' 12' },
      { sample_index: 8, completion_index: 1, reasoning_completion: 'She reads twelve pages.', completion: '' },
    ],
  };
  const files = [path.join(dir, 'multiarith.json'), path.join(dir, 'completions.json'), path.join(dir, 'split.json')];
  fs.writeFileSync(files[0]!, JSON.stringify({ metadata: { dataset_key: 'multiarith' }, data }));
  fs.writeFileSync(files[1]!, JSON.stringify({ metadata: { dataset_key: 'multiarith' }, data: completions }));
  fs.writeFileSync(files[2]!, JSON.stringify({ train: [3, 8], test: [5] }));
  return files;
}

async function details(dataset: number): Promise<Omit<ExampleDetail, 'id' | 'history' | 'annotationStatus'>[]> {
  const page = await ok('datasets.examples', { dataset, limit: 1000 });
  const out = [];
  for (const r of page.rows) {
    const {
      id: _id,
      history: _h,
      annotationStatus: _a,
      ...d
    } = await ok('datasets.example', { dataset, example: r.id });
    out.push(d);
  }
  return out;
}

describe('lossless export / re-import', () => {
  for (const layout of ['generic', 'finetune-cot'] as const) {
    it(`${layout}: same content hash, completions, tags and exclusions after a round trip`, async () => {
      const a = await ok('datasets.import', { paths: writeFinetuneCot(path.join(dataDir, 'src')), name: 'a' });
      expect(a.version.stats).toMatchObject({ examples: 3, completions: 5 });
      const rows = (await ok('datasets.examples', { dataset: a.datasetId })).rows;
      await ok('datasets.updateMembers', { dataset: a.datasetId, examples: [rows[0]!.id], addTags: ['checked'] });
      await ok('datasets.updateMembers', { dataset: a.datasetId, examples: [rows[1]!.id], excluded: true });
      const v2 = await ok('datasets.commit', { dataset: a.datasetId, message: 'curate' });

      const exp = await ok('datasets.export', {
        dataset: a.datasetId,
        layout,
        includeExcluded: true,
        out: path.join(dataDir, 'out', layout === 'generic' ? 'a.jsonl' : 'a.json'),
      });
      expect(exp.examples).toBe(3);
      const b = await ok('datasets.import', { paths: exp.files, name: 'b' });
      expect(b.version.contentHash).toBe(v2.contentHash);
      expect(b.version.stats).toEqual(v2.stats);
      expect(await details(b.datasetId)).toEqual(await details(a.datasetId));

      // Default export (excluded left out) of the re-import is byte-identical to the first one's.
      const e1 = await ok('datasets.export', { dataset: a.datasetId, layout, out: path.join(dataDir, 'x1', 'a.json') });
      const e2 = await ok('datasets.export', { dataset: b.datasetId, layout, out: path.join(dataDir, 'x2', 'a.json') });
      expect(e1.examples).toBe(2);
      for (let i = 0; i < e1.files.length; i++) {
        const norm = (f: string): string =>
          fs.readFileSync(f, 'utf8').replace(/"dataset_key":"[ab]","exported_by":"pst-lab","version":\d+/g, '');
        expect(norm(e2.files[i]!)).toBe(norm(e1.files[i]!));
      }
      // ...and a second round trip gives the same hash again (no nesting, no growth).
      const c = await ok('datasets.import', { paths: e2.files, name: 'c' });
      const d = await ok('datasets.import', {
        paths: (await ok('datasets.export', { dataset: c.datasetId, layout, out: path.join(dataDir, 'x3', 'c.json') }))
          .files,
        name: 'd',
      });
      expect(d.version.contentHash).toBe(c.version.contentHash);
    });
  }

  it('keeps a synthetic dataset (string ids, injected errors) exact in both layouts', async () => {
    const gen = await ok('datasets.generate', { task: 'arithmetic', n: 30, seed: 3, hallucinationRate: 0.5 });
    for (const layout of ['generic', 'finetune-cot'] as const) {
      const exp = await ok('datasets.export', {
        dataset: gen.datasetId,
        layout,
        out: path.join(dataDir, layout, 'g.json'),
      });
      const back = await ok('datasets.import', { paths: exp.files, name: `back-${layout}` });
      expect(back.version.contentHash).toBe(gen.version.contentHash);
      expect(back.version.stats.hallucinated).toBe(gen.version.stats.hallucinated);
    }
  });
});

describe('annotations across an export / import round trip', () => {
  it('land on the same examples; labels whose text moved are re-keyed, labels with no matching text are skipped and reported', async () => {
    const a = await ok('datasets.import', { paths: writeFinetuneCot(path.join(dataDir, 'src')), name: 'a' });
    const auto = await ok('annotations.runCheckers', { dataset: a.datasetId });
    expect(auto.rationales).toBe(5);
    const labels = await ok('annotations.export', { dataset: a.datasetId, out: path.join(dataDir, 'labels.jsonl') });
    const lines = fs
      .readFileSync(labels.file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { exampleId: string; completionIndex: number; rationaleFingerprint: string });

    // Fine-tune-CoT export and re-import: ids stay, every label lands on its example.
    const exp = await ok('datasets.export', {
      dataset: a.datasetId,
      layout: 'finetune-cot',
      out: path.join(dataDir, 'ft', 'a.json'),
    });
    const b = await ok('datasets.import', { paths: exp.files, name: 'b' });
    const imp = await ok('annotations.import', { dataset: b.datasetId, path: labels.file });
    expect(imp).toMatchObject({ records: lines.length, added: lines.length, skipped: [], moved: [] });

    // Another tool renumbered the ids (0, 1, 2) and dropped one completion: labels follow the
    // text; the label of the dropped completion is reported and nothing is written for it.
    const data = JSON.parse(fs.readFileSync(exp.files[0]!, 'utf8')) as { data: Record<string, unknown>[] };
    const comps = JSON.parse(fs.readFileSync(exp.files[1]!, 'utf8')) as {
      data: Record<string, Record<string, unknown>[]>;
    };
    const renumber = new Map(data.data.map((r, i) => [String(r.sample_index), i]));
    const plain = (r: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'pst_lab'));
    const dir = path.join(dataDir, 'renumbered');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'ds.json'),
      JSON.stringify({
        metadata: { dataset_key: 'multiarith' },
        data: data.data.map((r) => ({ ...plain(r), sample_index: renumber.get(String(r.sample_index)) })),
      }),
    );
    const newComps = Object.fromEntries(
      Object.entries(comps.data).map(([k, list]) => [
        String(renumber.get(k)),
        list
          .filter((c) => !(k === '3' && c.completion_index === 1))
          .map((c) => ({ ...plain(c), sample_index: renumber.get(k) })),
      ]),
    );
    fs.writeFileSync(
      path.join(dir, 'comp.json'),
      JSON.stringify({ metadata: { dataset_key: 'multiarith' }, data: newComps }),
    );
    const c = await ok('datasets.import', {
      paths: [path.join(dir, 'ds.json'), path.join(dir, 'comp.json')],
      name: 'c',
    });
    const imp2 = await ok('annotations.import', { dataset: c.datasetId, path: labels.file });
    // auto labels: one per completion (5); the dropped completion's label is skipped.
    expect(imp2.added).toBe(lines.length - 1);
    expect(imp2.skipped).toHaveLength(1);
    expect(imp2.skipped[0]!.reason).toMatch(/^example "3" with completion 1 is not in this dataset/);
    expect(imp2.skipped[0]!.reason).toMatch(/no completion holds the annotated text; label not imported/);
    expect(imp2.moved!.length).toBeGreaterThan(0);
    // Each written label sits on a completion whose text has the annotated fingerprint.
    const back = await ok('annotations.export', { dataset: c.datasetId, out: path.join(dataDir, 'labels-c.jsonl') });
    const rows = lab.db
      .prepare(
        'SELECT e.external_id AS x, c.idx AS i, c.rationale AS r FROM examples e JOIN completions c ON c.example_id = e.id WHERE e.dataset_id = ?',
      )
      .all(c.datasetId) as { x: string; i: number; r: string }[];
    const { rationaleFingerprint } = await import('../../../src/main/lab/annotation/logic/fingerprint');
    for (const l of fs
      .readFileSync(back.file, 'utf8')
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x) as { exampleId: string; completionIndex: number; rationaleFingerprint: string })) {
      const row = rows.find((r) => r.x === l.exampleId && r.i === l.completionIndex)!;
      expect(rationaleFingerprint(row.r)).toBe(l.rationaleFingerprint);
    }
  });
});
