// Checker precision and recall on a labelled set of real-style teacher rationales
// (tests/fixtures/checkers/labelled-rationales.json, written by hand in the style of GSM8K /
// SVAMP / MultiArith teacher outputs: number-unit phrases, quantities and conclusions in words,
// chained equalities, truncated rationales). The figures are printed and recorded in
// docs/methods.md ("Checkers on real-style rationales").
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckers } from '../../../src/main/lab/annotation/logic';
import type { CheckerName } from '../../../src/shared/types/annotations';

interface Labelled {
  id: string;
  question: string;
  rationale: string;
  answerType: 'number';
  gold: string;
  teacherAnswer: string;
  /** Error kinds present: arithmetic (a wrong result), quantity (an operand not in the question / never derived), conclusion (the stated conclusion contradicts the work). */
  errors: ('arithmetic' | 'quantity' | 'conclusion')[];
  note: string;
}

const SET = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/checkers/labelled-rationales.json'), 'utf8'),
) as Labelled[];
const KIND: Record<CheckerName, Labelled['errors'][number]> = {
  arithmetic: 'arithmetic',
  numbers_not_in_question: 'quantity',
  answer_mismatch: 'conclusion',
};
/** Today's figures on main before the checker changes (docs/methods.md): recall must not drop below. */
const RECALL_BEFORE = { any: 14 / 16, arithmetic: 1, numbers_not_in_question: 0.75, answer_mismatch: 0.6 };

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function measure(): {
  flagged: Map<string, Set<CheckerName>>;
  table: Record<string, { precision: number | null; recall: number | null; flags: number; tp: number }>;
} {
  const flagged = new Map<string, Set<CheckerName>>();
  for (const r of SET) {
    const found = runCheckers({
      question: r.question,
      rationale: r.rationale,
      answerType: r.answerType,
      choices: null,
      goldAnswer: r.gold,
      teacherAnswer: r.teacherAnswer,
    });
    flagged.set(r.id, new Set(found.map((f) => f.checker)));
  }
  const table: Record<string, { precision: number | null; recall: number | null; flags: number; tp: number }> = {};
  const hasError = (r: Labelled): boolean => r.errors.length > 0;
  const correct = SET.filter((r) => r.gold === r.teacherAnswer);
  const anyFlag = (r: Labelled): boolean => flagged.get(r.id)!.size > 0;
  const flagsOnCorrect = correct.filter(anyFlag);
  table['any, teacher-correct'] = {
    flags: flagsOnCorrect.length,
    tp: flagsOnCorrect.filter(hasError).length,
    precision: ratio(flagsOnCorrect.filter(hasError).length, flagsOnCorrect.length),
    recall: ratio(correct.filter((r) => hasError(r) && anyFlag(r)).length, correct.filter(hasError).length),
  };
  const all = SET.filter(anyFlag);
  table.any = {
    flags: all.length,
    tp: all.filter(hasError).length,
    precision: ratio(all.filter(hasError).length, all.length),
    recall: ratio(SET.filter((r) => hasError(r) && anyFlag(r)).length, SET.filter(hasError).length),
  };
  for (const c of Object.keys(KIND) as CheckerName[]) {
    const by = SET.filter((r) => flagged.get(r.id)!.has(c));
    const kind = SET.filter((r) => r.errors.includes(KIND[c]));
    table[c] = {
      flags: by.length,
      tp: by.filter(hasError).length,
      precision: ratio(by.filter(hasError).length, by.length),
      recall: ratio(kind.filter((r) => flagged.get(r.id)!.has(c)).length, kind.length),
    };
  }
  return { flagged, table };
}

describe('checkers on labelled real-style rationales', () => {
  it('has at least 40 labelled rationales, teacher-correct and teacher-wrong, with and without errors', () => {
    expect(SET.length).toBeGreaterThanOrEqual(40);
    expect(SET.filter((r) => r.gold === r.teacherAnswer && r.errors.length === 0).length).toBeGreaterThanOrEqual(20);
    expect(SET.filter((r) => r.errors.length > 0).length).toBeGreaterThanOrEqual(12);
  });

  it('precision on teacher-correct rationales >= 0.8, recall not lower than before', () => {
    const { flagged, table } = measure();
    const fmt = (v: number | null): string => (v === null ? '-' : v.toFixed(2));
    console.log(
      `checker precision/recall on ${SET.length} labelled rationales (${SET.filter((r) => r.errors.length).length} with errors):\n` +
        Object.entries(table)
          .map(
            ([k, v]) =>
              `  ${k.padEnd(24)} flags ${String(v.flags).padStart(2)}  true ${String(v.tp).padStart(2)}  precision ${fmt(v.precision)}  recall ${fmt(v.recall)}`,
          )
          .join('\n'),
    );
    console.log(
      'false positives:',
      SET.filter((r) => r.errors.length === 0 && flagged.get(r.id)!.size > 0)
        .map((r) => `${r.id} ${r.note} [${[...flagged.get(r.id)!].join(',')}]`)
        .join('; '),
    );
    console.log(
      'missed:',
      SET.filter((r) => r.errors.length > 0 && flagged.get(r.id)!.size === 0)
        .map((r) => `${r.id} ${r.note}`)
        .join('; '),
    );
    expect(table['any, teacher-correct']!.precision!).toBeGreaterThanOrEqual(0.8);
    expect(table.any!.recall!).toBeGreaterThanOrEqual(RECALL_BEFORE.any);
    for (const c of Object.keys(KIND) as CheckerName[])
      expect(table[c]!.recall ?? 0).toBeGreaterThanOrEqual(RECALL_BEFORE[c]);
  });
});
