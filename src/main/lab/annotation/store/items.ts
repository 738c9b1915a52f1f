// The rationales that can be labelled: example revisions of a dataset and their completions.
// Labels are keyed by the example's external id (its lineage), so they follow edits; the item
// carries the current text's fingerprint to detect labels made on another text.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { splitSteps } from '../../../../shared/steps';
import type { InjectedError, Split } from '../../../../shared/types/dataset';
import type { VersionRef } from '../../../../shared/types/datasets';
import type { AnnotationItem } from '../../../../shared/types/annotations';
import type { CompletionColumns, ExampleColumns, MemberColumns } from '../../datasets/store/columns';
import { resolveVersion } from '../../datasets/store/versions';
import { rationaleFingerprint } from '../logic/fingerprint';
import type { ItemKey } from './rows';

type ItemRow = Pick<ExampleColumns, 'dataset_id' | 'external_id' | 'question' | 'answer' | 'answer_type' | 'choices'> &
  Pick<CompletionColumns, 'rationale' | 'teacher_answer' | 'correct' | 'injected'>;

const ITEM_SQL = `SELECT e.dataset_id, e.external_id, e.question, e.answer, e.answer_type, e.choices,
  c.rationale, c.teacher_answer, c.correct, c.injected
  FROM examples e JOIN completions c ON c.example_id = e.id`;

export interface LoadedItem {
  key: ItemKey;
  item: AnnotationItem;
  injected: InjectedError[] | null;
}

/** The texts of a rationale to label, as an item and a version's listing carry them. */
type ItemText = Pick<AnnotationItem, 'question' | 'answer' | 'answerType' | 'choices' | 'rationale' | 'teacherAnswer'>;

function itemText(r: ItemRow): ItemText {
  return {
    question: r.question,
    answer: r.answer,
    answerType: r.answer_type,
    choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    rationale: r.rationale,
    teacherAnswer: r.teacher_answer,
  };
}

function injectedOf(r: ItemRow): InjectedError[] | null {
  return r.injected ? (JSON.parse(r.injected) as InjectedError[]) : null;
}

function toItem(exampleId: number, completion: number, r: ItemRow): LoadedItem {
  return {
    key: { datasetId: r.dataset_id, externalId: r.external_id, completion },
    item: {
      datasetId: r.dataset_id,
      example: exampleId,
      externalId: r.external_id,
      completion,
      ...itemText(r),
      teacherCorrect: r.correct === null ? null : r.correct === 1,
      fingerprint: rationaleFingerprint(r.rationale),
      defaultSteps: splitSteps(r.rationale),
    },
    injected: injectedOf(r),
  };
}

/** One rationale by example revision id and completion index; the revision must be of `datasetId`. */
export function loadItem(db: Db, datasetId: number, exampleId: number, completion: number): LoadedItem {
  const r = db.prepare(`${ITEM_SQL} WHERE e.id = ? AND c.idx = ?`).get(exampleId, completion) as ItemRow | undefined;
  if (!r) {
    const exists = db.prepare('SELECT dataset_id FROM examples WHERE id = ?').get(exampleId) as { dataset_id: number } | undefined;
    if (!exists) throw new LabError('NOT_FOUND', `example ${exampleId} does not exist`);
    throw new LabError('NOT_FOUND', `example ${exampleId} has no completion ${completion}`);
  }
  if (r.dataset_id !== datasetId) throw new LabError('NOT_FOUND', `example ${exampleId} is not in dataset ${datasetId}`);
  return toItem(exampleId, completion, r);
}

/** The revision of an external id in a version (e.g. the head), or null when it is not a member. */
export function revisionInVersion(db: Db, versionId: number, externalId: string): number | null {
  const r = db
    .prepare('SELECT e.id FROM version_examples ve JOIN examples e ON e.id = ve.example_id WHERE ve.version_id = ? AND e.external_id = ?')
    .get(versionId, externalId) as { id: number } | undefined;
  return r?.id ?? null;
}

/** A rationale of a version, without derived fields (fingerprints cost time on big versions). */
export interface VersionRationale extends ItemText {
  key: ItemKey;
  example: number;
  position: number;
  split: Split | null;
  tags: string[];
  excluded: boolean;
  injected: InjectedError[] | null;
}

/** Every rationale (example x completion) of a version, in table order. */
export function versionRationales(db: Db, datasetId: number, version: VersionRef = 'head', opts: { includeExcluded?: boolean } = {}): { versionId: number; items: VersionRationale[] } {
  const v = resolveVersion(db, datasetId, version);
  const rows = db
    .prepare(
      `SELECT e.id AS example_id, c.idx, ve.position, ve.split, ve.tags, ve.excluded, e.dataset_id, e.external_id, e.question, e.answer, e.answer_type, e.choices,
         c.rationale, c.teacher_answer, c.correct, c.injected
       FROM version_examples ve JOIN examples e ON e.id = ve.example_id JOIN completions c ON c.example_id = e.id
       WHERE ve.version_id = ? ${opts.includeExcluded ? '' : 'AND ve.excluded = 0'} ORDER BY ve.position, c.idx`,
    )
    .all(v.id) as (ItemRow & MemberColumns & { example_id: number; idx: number })[];
  return {
    versionId: v.id,
    items: rows.map((r) => ({
      key: { datasetId: r.dataset_id, externalId: r.external_id, completion: r.idx },
      example: r.example_id,
      position: r.position,
      split: r.split,
      tags: JSON.parse(r.tags) as string[],
      excluded: r.excluded === 1,
      ...itemText(r),
      injected: injectedOf(r),
    })),
  };
}

export function itemKeyString(k: { externalId: string; completion: number }): string {
  return JSON.stringify([k.externalId, k.completion]);
}
