// Teacher statistics with one stated definition: no answer counts wrong, unjudged completions are
// shown apart, hedged answers are judged wrong and warned, "unknown" where nothing was measured;
// and the mapping syntax the importer's error message shows is the one the CLI takes.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { parseImport } from '../../../src/main/lab/datasets/import';
import { describeHallucinated, describeTeacherAccuracy } from '../../../src/shared/teacherStats';
import { callOk } from '../../helpers/call';
import type { Lab } from '../../../src/main/lab/lab';
import { openTempLab, tempDir } from '../../helpers/tempLab';
import { fixtureDir, jsonl } from './import/fixtures';

let lab: Lab;
let cleanup: () => void;
beforeEach(() => {
  ({ lab, cleanup } = openTempLab());
});
afterEach(() => cleanup());

const choices = ['bank', 'library', 'cinema', 'park', 'theatre'];

describe('teacher statistics', () => {
  it('counts no answer as wrong, hedged answers as wrong (warned), and shows unjudged apart', async () => {
    const fx = fixtureDir();
    const file = fx.write(
      'cqa.jsonl',
      jsonl([
        {
          id: 'a',
          question: 'Where are films shown?',
          choices,
          answer: 'cinema',
          rationale: 'Films are shown in cinemas.',
          teacher_answer: '(c) cinema',
        },
        {
          id: 'b',
          question: 'Where are plays shown?',
          choices,
          answer: 'theatre',
          rationale: 'Plays or films.',
          teacher_answer: 'either (c) cinema or (e) theatre',
        },
        {
          id: 'c',
          question: 'Where is money kept?',
          choices,
          answer: 'bank',
          rationale: 'Money is kept safe.',
          teacher_answer: null,
        },
        {
          id: 'd',
          question: 'Where are books lent?',
          choices,
          answer: 'library',
          rationale: 'Books are lent.',
          teacher_answer: '(b) library',
        },
      ]),
    );
    const r = await parseImport([file]);
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => e.completions[0]!.correct)).toEqual([true, false, null, true]);
    expect(r.stats).toMatchObject({
      completions: 4,
      teacherAnswered: 3,
      teacherCorrect: 2,
      teacherNoAnswer: 1,
      teacherHedged: 1,
    });
    expect(r.warnings).toEqual([
      {
        file,
        line: 2,
        reason:
          'example b, completion 0: hedged teacher answer "either (c) cinema or (e) theatre" names more than one candidate; counted wrong',
      },
    ]);

    const imp = await callOk(lab, 'datasets.import', { paths: [file], name: 'cqa' });
    expect(imp.summary).toEqual({ completions: 4, withoutRationale: 0, teacherNoAnswer: 1, teacherHedged: 1 });
    const s = imp.version.stats;
    expect(s).toMatchObject({
      teacherJudged: 3,
      teacherCorrect: 2,
      teacherNoAnswer: 1,
      teacherUnjudged: 0,
      hallucinationKnown: false,
    });
    // 2 correct of 4 counted (3 judged + 1 without an answer), as the Zero-shot-CoT logs count.
    expect(describeTeacherAccuracy(s)).toBe('50.0% (2/4; 1 no answer)');
    expect(describeHallucinated(s)).toBe('unknown');
  });

  it('says unknown when nothing could be judged, and gives hallucination counts only with ground truth', async () => {
    const fx = fixtureDir();
    const ft = fx.write(
      'ft.jsonl',
      jsonl([{ prompt: 'Tom has 3 and gets 4. How many?\n\n###\n\n', completion: ' 3 + 4 = 7. --> 7 END' }]),
    );
    const imp = await callOk(lab, 'datasets.import', { paths: [ft], name: 'ft' });
    expect(describeTeacherAccuracy(imp.version.stats)).toBe('unknown (1 unjudged)');
    const gen = await callOk(lab, 'datasets.generate', { task: 'coin_flip', n: 10, seed: 1 });
    expect(describeHallucinated(gen.version.stats)).toBe('0 (0.0%)');
  });

  it('uses one mapping syntax in the error message and the CLI', async () => {
    const fx = fixtureDir();
    const file = fx.write('odd.jsonl', jsonl([{ prob: 'Tom has 3 and gets 4. How many?', sol: '7' }]));
    await expect(parseImport([file])).rejects.toThrow(
      'no column mapped to question and answer (columns found: prob, sol): map them as question=<column>,answer=<column> (CLI: --map question=<column>,answer=<column>; import dialog: the column menus)',
    );
    const dir = tempDir();
    try {
      for (const map of ['question=prob,answer=sol', '{"question":"prob","answer":"sol"}']) {
        let out = '';
        let err = '';
        const code = await runCli(
          ['dataset', 'import', file, '--map', map, '--name', `odd ${map.length}`, '--data-dir', dir],
          { stdout: (t) => (out += t), stderr: (t) => (err += t) },
        );
        expect(code, err).toBe(0);
        expect(out).toMatch(/Imported dataset "odd \d+".*1 examples/);
        expect(out).toMatch(/0 teacher completions; 1 examples without any rationale/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
