// Column mapping for the generic formats: guessed from column / key names (case, "_" and "-"
// ignored), then overridden field by field by whatever the user edited in the UI or CLI.
import type { ColumnMapping } from './types';
import { MAPPING_FIELDS } from './types';
import { ImportError } from './errors';

const CANDIDATES: Record<keyof ColumnMapping, string[]> = {
  question: ['question', 'input', 'prompt', 'query', 'problem', 'squestion', 'text', 'source'],
  answer: ['answer', 'gold', 'goldanswer', 'label', 'target', 'correctanswer', 'answerkey', 'gt', 'output', 'lanswers'],
  rationale: ['rationale', 'reasoning', 'reasoningcompletion', 'explanation', 'cot', 'chainofthought', 'teacherrationale', 'solution', 'abstractiveexplanation'],
  teacher_answer: ['teacheranswer', 'teacherlabel', 'prediction', 'pred', 'predictedanswer', 'teacherprediction', 'completion'],
  choices: ['choices', 'options', 'answerchoices', 'candidates'],
  id: ['id', 'externalid', 'sampleindex', 'uid', 'qid', 'exampleid', 'index', 'idx'],
  split: ['split', 'subset', 'fold', 'partition'],
  answer_type: ['answertype', 'type'],
};

const canon = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Best guess per field from the names seen; each column is used for at most one field. */
export function suggestMapping(columns: readonly string[]): Partial<ColumnMapping> {
  const byCanon = new Map<string, string>();
  for (const c of columns) if (!byCanon.has(canon(c))) byCanon.set(canon(c), c);
  const used = new Set<string>();
  const out: Partial<ColumnMapping> = {};
  for (const field of MAPPING_FIELDS) {
    for (const cand of CANDIDATES[field]) {
      const col = byCanon.get(cand);
      if (col !== undefined && !used.has(col)) {
        out[field] = col;
        used.add(col);
        break;
      }
    }
  }
  return out;
}

/** Merges the user's edits over the guess; an empty string un-maps a field. */
export function resolveMapping(
  suggested: Partial<ColumnMapping>,
  override: Partial<ColumnMapping> | undefined,
  file: string,
  columns: readonly string[] = [],
): ColumnMapping {
  const merged: Partial<ColumnMapping> = { ...suggested };
  for (const field of MAPPING_FIELDS) {
    if (override && field in override) {
      const v = override[field];
      if (v === undefined || v === '') delete merged[field];
      else merged[field] = v;
    }
  }
  if (!merged.question || !merged.answer) {
    const missing = [!merged.question ? 'question' : null, !merged.answer ? 'answer' : null].filter(Boolean).join(' and ');
    // The same syntax as the CLI's --map (docs/methods.md, "Importing teacher files").
    const found = columns.length > 0 ? ` (columns found: ${columns.join(', ')})` : '';
    throw new ImportError(`no column mapped to ${missing}${found}: map them as question=<column>,answer=<column> (CLI: --map question=<column>,answer=<column>; import dialog: the column menus)`, file);
  }
  return merged as ColumnMapping;
}
