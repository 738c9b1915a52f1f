// Curation happens on the dataset's open draft: editing examples (a new immutable revision each
// time), tags, exclusion, duplicate resolution and seeded splits. Every bulk change is one
// transaction. Committing the draft (versions.ts) freezes it as the next version.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { Rng, mixSeed, seedWords } from '../../synthetic/prng';
import { answersMatch, normalizeAnswer } from '../../../../shared/answers';
import type { AnswerType, Split } from '../../../../shared/types/dataset';
import type { ExampleColumns } from './columns';
import type { DuplicateGroup } from '../../../../shared/types/datasets';
import { readCompletions } from './examples';
import { revisionWriter, type ExampleContent } from './revisions';
import { ensureDraft, resolveVersion } from './versions';

export interface ExamplePatch {
  question?: string;
  answer?: string;
  answerType?: AnswerType;
  choices?: string[] | null;
  /** Per completion index: new rationale and/or teacher answer. */
  completions?: { index: number; rationale?: string; teacherAnswer?: string | null }[];
}

function loadContent(db: Db, exampleId: number): ExampleContent & { datasetId: number } {
  const r = db.prepare('SELECT * FROM examples WHERE id = ?').get(exampleId) as
    | ExampleColumns
    | undefined;
  if (!r) throw new LabError('NOT_FOUND', `example ${exampleId} does not exist`);
  return {
    datasetId: r.dataset_id,
    externalId: r.external_id,
    question: r.question,
    answer: r.answer,
    answerType: r.answer_type,
    choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
    completions: readCompletions(db, exampleId),
  };
}

function memberOf(db: Db, versionId: number, exampleId: number): void {
  if (!db.prepare('SELECT 1 FROM version_examples WHERE version_id = ? AND example_id = ?').get(versionId, exampleId)) {
    throw new LabError('NOT_FOUND', `example ${exampleId} is not in the draft`);
  }
}

/** Writes an edited revision into the draft; returns the new revision id. */
export function editExample(db: Db, datasetId: number, exampleId: number, patch: ExamplePatch): number {
  return db.transaction(() => {
    const draft = ensureDraft(db, datasetId);
    memberOf(db, draft, exampleId);
    const old = loadContent(db, exampleId);
    const answerType = patch.answerType ?? old.answerType;
    const choices = patch.choices !== undefined ? patch.choices : old.choices;
    const rawAnswer = patch.answer ?? old.answer;
    const answer = normalizeAnswer(answerType, rawAnswer, choices);
    if (answer === null) {
      throw new LabError('INVALID_INPUT', `answer ${JSON.stringify(rawAnswer)} is not a valid ${answerType} answer`, {
        field: 'answer',
      });
    }
    const question = (patch.question ?? old.question).trim();
    if (!question) throw new LabError('INVALID_INPUT', 'the question cannot be empty', { field: 'question' });
    const completions = old.completions.map((c) => ({ ...c }));
    for (const p of patch.completions ?? []) {
      const c = completions[p.index];
      if (!c) throw new LabError('INVALID_INPUT', `example has no completion #${p.index}`, { field: `completions.${p.index}` });
      if (p.rationale !== undefined) {
        c.rationale = p.rationale;
        // Injected-error offsets point into the old text; an edited rationale no longer matches them.
        delete c.injected;
      }
      if (p.teacherAnswer !== undefined) c.teacherAnswer = p.teacherAnswer;
    }
    for (const c of completions) {
      c.correct = c.teacherAnswer === null ? null : answersMatch(answerType, c.teacherAnswer, answer, choices);
    }
    const next: ExampleContent = { ...old, question, answer, answerType, choices, completions };
    const { id } = revisionWriter(db)(datasetId, next, exampleId);
    db.prepare('UPDATE version_examples SET example_id = ? WHERE version_id = ? AND example_id = ?').run(id, draft, exampleId);
    return id;
  }).immediate();
}

export interface MembershipPatch {
  split?: Split | null;
  excluded?: boolean;
  addTags?: string[];
  removeTags?: string[];
}

/** Applies split / exclusion / tag changes to many draft members at once. */
export function updateMembers(db: Db, datasetId: number, exampleIds: readonly number[], patch: MembershipPatch): number {
  return db.transaction(() => {
    const draft = ensureDraft(db, datasetId);
    const get = db.prepare('SELECT tags FROM version_examples WHERE version_id = ? AND example_id = ?');
    const set = db.prepare(
      `UPDATE version_examples SET split = CASE WHEN @setSplit THEN @split ELSE split END,
              excluded = COALESCE(@excluded, excluded), tags = @tags WHERE version_id = @draft AND example_id = @id`,
    );
    for (const id of exampleIds) {
      const row = get.get(draft, id) as { tags: string } | undefined;
      if (!row) throw new LabError('NOT_FOUND', `example ${id} is not in the draft`);
      const tags = new Set(JSON.parse(row.tags) as string[]);
      for (const t of patch.addTags ?? []) tags.add(t);
      for (const t of patch.removeTags ?? []) tags.delete(t);
      set.run({
        setSplit: patch.split !== undefined ? 1 : 0,
        split: patch.split ?? null,
        excluded: patch.excluded === undefined ? null : patch.excluded ? 1 : 0,
        tags: JSON.stringify([...tags].sort()),
        draft,
        id,
      });
    }
    return exampleIds.length;
  }).immediate();
}

export function discardDraft(db: Db, datasetId: number): void {
  const res = db.prepare('DELETE FROM dataset_versions WHERE dataset_id = ? AND number IS NULL').run(datasetId);
  if (res.changes === 0) throw new LabError('NOT_FOUND', `dataset ${datasetId} has no open draft`);
}

interface GroupRow {
  ids: string;
  splits: string;
  q: string;
}

function duplicateGroup(kind: DuplicateGroup['kind'], exampleIds: number[], g: GroupRow): DuplicateGroup {
  const splits = JSON.parse(g.splits) as (Split | null)[];
  const assigned = new Set(splits.filter((x): x is Split => x !== null));
  return { kind, exampleIds, question: g.q, splits, crossSplit: assigned.size > 1 };
}

/** Groups of examples with the same question and answer (exact) or the same normalised question. */
export function findDuplicates(db: Db, datasetId: number, version: Parameters<typeof resolveVersion>[2] = 'head'): DuplicateGroup[] {
  const v = resolveVersion(db, datasetId, version);
  const groups: DuplicateGroup[] = [];
  const exact = db
    .prepare(
      `SELECT json_group_array(e.id) AS ids, json_group_array(e.split) AS splits, MIN(e.question) AS q FROM
         (SELECT e.id, e.question, e.answer, ve.split FROM version_examples ve JOIN examples e ON e.id = ve.example_id
          WHERE ve.version_id = ? AND ve.excluded = 0 ORDER BY ve.position) e
       GROUP BY e.question, e.answer HAVING COUNT(*) > 1`,
    )
    .all(v.id) as GroupRow[];
  const exactKeys = new Set<string>();
  for (const g of exact) {
    const ids = JSON.parse(g.ids) as number[];
    exactKeys.add(ids.join(','));
    groups.push(duplicateGroup('exact', ids, g));
  }
  const norm = db
    .prepare(
      `SELECT json_group_array(e.id) AS ids, json_group_array(e.split) AS splits, MIN(e.question) AS q FROM
         (SELECT e.id, e.question, e.question_norm, ve.split FROM version_examples ve JOIN examples e ON e.id = ve.example_id
          WHERE ve.version_id = ? AND ve.excluded = 0 ORDER BY ve.position) e
       GROUP BY e.question_norm HAVING COUNT(*) > 1`,
    )
    .all(v.id) as GroupRow[];
  for (const g of norm) {
    const ids = JSON.parse(g.ids) as number[];
    if (!exactKeys.has(ids.join(','))) groups.push(duplicateGroup('normalised', ids, g));
  }
  return groups;
}

/** "Keep first": excludes every member of each group but the first. Returns how many were excluded. */
export function resolveDuplicates(db: Db, datasetId: number, groups: readonly DuplicateGroup[]): number {
  const drop = groups.flatMap((g) => g.exampleIds.slice(1));
  return drop.length ? updateMembers(db, datasetId, [...new Set(drop)], { excluded: true, addTags: ['duplicate'] }) : 0;
}

export interface SplitOptions {
  train: number;
  val: number;
  test: number;
  seed: number;
  /** 'unassigned' keeps splits that already exist (e.g. imported predefined splits). */
  scope: 'all' | 'unassigned';
  /** Keep answer proportions equal across splits when every answer class is large enough. */
  stratify: boolean;
  /** Accept a draft without test examples (refused otherwise: nothing would be held out). */
  allowEmptyTest?: boolean;
}

/** Seeded split of the draft; returns counts per split and whether stratification was used. */
export function splitDraft(db: Db, datasetId: number, o: SplitOptions): { assigned: Record<Split, number>; stratified: boolean } {
  const ratios = splitRatios(o);
  return db.transaction(() => {
    const draft = ensureDraft(db, datasetId);
    const rows = db
      .prepare(
        `SELECT ve.example_id AS id, e.answer AS answer FROM version_examples ve JOIN examples e ON e.id = ve.example_id
         WHERE ve.version_id = ? ${o.scope === 'unassigned' ? 'AND ve.split IS NULL' : ''} ORDER BY ve.position`,
      )
      .all(draft) as { id: number; answer: string }[];
    const byAnswer = new Map<string, number[]>();
    for (const r of rows) byAnswer.set(r.answer, [...(byAnswer.get(r.answer) ?? []), r.id]);
    // Stratify only when each answer class could put at least one example in every non-empty split.
    const minShare = Math.min(...ratios.filter(([, r]) => r > 0).map(([, r]) => r));
    const stratified = o.stratify && byAnswer.size > 1 && [...byAnswer.values()].every((ids) => ids.length * minShare >= 1);
    const groups = stratified ? [...byAnswer.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ids]) => ids) : [rows.map((r) => r.id)];
    const rng = splitRng(o.seed);
    const assigned: Record<Split, number> = { train: 0, val: 0, test: 0 };
    const set = db.prepare('UPDATE version_examples SET split = ? WHERE version_id = ? AND example_id = ?');
    for (const ids of groups) {
      for (const [id, split] of assignSplits(ids, ratios, rng)) {
        set.run(split, draft, id);
        assigned[split]++;
      }
    }
    const tests = (
      db.prepare("SELECT COUNT(*) AS n FROM version_examples WHERE version_id = ? AND split = 'test' AND excluded = 0").get(draft) as { n: number }
    ).n;
    if (tests === 0 && !o.allowEmptyTest) {
      // Thrown inside the transaction: the draft keeps its earlier splits.
      const share = ratios.find(([s]) => s === 'test')![1];
      throw new LabError(
        'INVALID_INPUT',
        `this split leaves the test set empty (${rows.length} example${rows.length === 1 ? '' : 's'} split, test share ${Math.round(share * 100)}%): ` +
          'raise the test share, or allow an empty test set explicitly if you evaluate on other data',
      );
    }
    return { assigned, stratified };
  }).immediate();
}

export function splitRatios(o: { train: number; val: number; test: number }): [Split, number][] {
  const total = o.train + o.val + o.test;
  if (!(total > 0) || [o.train, o.val, o.test].some((r) => r < 0)) {
    throw new LabError('INVALID_INPUT', 'split ratios must be non-negative and not all zero');
  }
  return [
    ['train', o.train / total],
    ['val', o.val / total],
    ['test', o.test / total],
  ];
}

export function splitRng(seed: number): Rng {
  return new Rng(mixSeed(...seedWords(seed), 0x5b1d));
}

/** Shuffles the items with `rng` and deals them out in the given proportions. */
export function assignSplits<T>(items: readonly T[], ratios: readonly [Split, number][], rng: Rng): [T, Split][] {
  const shuffled = rng.shuffle(items);
  const counts = largestRemainder(shuffled.length, ratios.map(([, r]) => r));
  const out: [T, Split][] = [];
  let at = 0;
  ratios.forEach(([split], i) => {
    for (let k = 0; k < counts[i]!; k++) out.push([shuffled[at++]!, split]);
  });
  return out;
}

/** Integer counts summing to n, proportional to the ratios (largest remainder method). */
export function largestRemainder(n: number, ratios: readonly number[]): number[] {
  const exact = ratios.map((r) => r * n);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}
