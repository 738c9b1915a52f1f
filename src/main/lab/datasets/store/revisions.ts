// Writing example revisions (immutable rows) with their completions and search index entries.
import type { Db } from '../../db/database';
import type { ExampleInput } from '../../../../shared/types/dataset';
import { exampleContentHash, normaliseQuestion } from './canonical';

export type ExampleContent = Omit<ExampleInput, 'split' | 'tags'>;

/** Prepared statements for bulk revision inserts; create once per transaction-sized job. */
export function revisionWriter(db: Db): (datasetId: number, e: ExampleContent, prevId: number | null) => { id: number; contentHash: string } {
  const insExample = db.prepare(
    `INSERT INTO examples (dataset_id, external_id, question, answer, answer_type, choices, metadata, question_norm, content_hash, prev_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insCompletion = db.prepare(
    `INSERT INTO completions (example_id, idx, rationale, teacher_answer, source, correct, injected) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insFts = db.prepare(`INSERT INTO examples_fts (rowid, question, answer, rationales) VALUES (?, ?, ?, ?)`);
  return (datasetId, e, prevId) => {
    const contentHash = exampleContentHash(e);
    const id = Number(
      insExample.run(
        datasetId,
        e.externalId,
        e.question,
        e.answer,
        e.answerType,
        e.choices ? JSON.stringify(e.choices) : null,
        JSON.stringify(e.metadata ?? {}),
        normaliseQuestion(e.question),
        contentHash,
        prevId,
      ).lastInsertRowid,
    );
    e.completions.forEach((c, idx) => {
      insCompletion.run(
        id,
        idx,
        c.rationale,
        c.teacherAnswer,
        c.source,
        c.correct === null ? null : c.correct ? 1 : 0,
        c.injected && c.injected.length ? JSON.stringify(c.injected) : null,
      );
    });
    insFts.run(id, e.question, e.answer, e.completions.map((c) => c.rationale).join('\n'));
    return { id, contentHash };
  };
}
