// last_letters (Zero-shot-CoT "Last Letter Concatenation"): concatenate the last letters of the
// words in a name. The rationale is a chain: each step takes one last letter and extends the
// running string, so dropping any step leaves a letter in the next step that was never derived.
import { conclusionStep, seg, textStep } from '../draft';
import type { Rng } from '../prng';
import type { DraftStep, FaultedDraft, Problem, SyntheticTask, TaskSpecificFault } from '../types';
import { LETTER_WORDS } from '../words';

export interface LastLettersProblem extends Problem {
  facts: { words: string[] };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const lastLetter = (word: string): string => word[word.length - 1]!.toLowerCase();

/** How many words of the list end in each letter. */
const ENDINGS: ReadonlyMap<string, number> = LETTER_WORDS.reduce(
  (m, w) => m.set(lastLetter(w), (m.get(lastLetter(w)) ?? 0) + 1),
  new Map<string, number>(),
);

/**
 * Distinct last-letter strings of `size` distinct words: strings where letter c appears at most as
 * often as words end in c, i.e. size! [x^size] prod_c sum_{k <= n_c} x^k / k! (exponential
 * generating functions), exact in doubles for these sizes.
 */
function letterStrings(size: number): number {
  let poly = [1];
  for (const n of ENDINGS.values()) {
    const next = new Array<number>(size + 1).fill(0);
    poly.forEach((a, i) => {
      let fact = 1;
      for (let k = 0; k <= n && i + k <= size; k++) {
        if (k > 0) fact *= k;
        next[i + k]! += a / fact;
      }
    });
    poly = next;
  }
  let sizeFact = 1;
  for (let k = 2; k <= size; k++) sizeFact *= k;
  return Math.round((poly[size] ?? 0) * sizeFact);
}

type LetterFault = { kind: 'misread'; index: number; shown: string } | { kind: 'contradict'; after: number; letter: string };

function build(p: LastLettersProblem, fault: LetterFault | null, propagate: boolean): FaultedDraft {
  const { words } = p.facts;
  const steps: DraftStep[] = [];
  let acc = '';
  let note = '';
  let original = '';
  words.forEach((word, i) => {
    const misread = fault?.kind === 'misread' && fault.index === i;
    const shown = misread ? fault.shown : word;
    const letter = misread && propagate ? lastLetter(shown) : lastLetter(word);
    if (misread) {
      original = word;
      note = `the question has "${word}"; the rationale reads it as "${shown}"`;
    }
    acc += letter;
    const segments = [seg('The last letter of "'), seg(shown, misread), seg(`" is "${letter}"`)];
    segments.push(seg(i === 0 ? '.' : `, giving "${acc}".`));
    steps.push({ segments, produces: `a${i}`, uses: i === 0 ? [] : [`a${i - 1}`], skippable: true });
    if (fault?.kind === 'contradict' && fault.after === i) {
      const sentence = `So "${word}" ends in "${fault.letter}".`;
      steps.push(textStep(sentence, true));
      note = `inserted "${sentence}" although "${word}" ends in "${letter}"`;
      if (propagate) acc = acc.slice(0, -1) + fault.letter;
    }
  });
  steps.push(conclusionStep(acc, [`a${words.length - 1}`]));
  return { draft: { steps, teacherAnswer: acc }, note, original };
}

export const lastLetters: SyntheticTask<LastLettersProblem> = {
  name: 'last_letters',
  description:
    'Last letter concatenation (Zero-shot-CoT style): join the last letters of the words in a name, e.g. "Lady Gaga" -> "ya". Size = number of words.',
  answerType: 'text',
  size: { unit: 'words', defaultMin: 2, defaultMax: 4, allowedMin: 1, allowedMax: 6 },
  applicableTypes: {
    quantity_misread: 'a word of the question is read as a different word',
    skipped_step: 'a letter step is left out, so the next running string holds a letter never derived',
    irrelevant_statement: 'an inserted true but irrelevant fact about a word (first letter, length)',
    contradictory_statement: 'an inserted "So "W" ends in "x"." contradicting the step before',
    answer_mismatch: 'the conclusion states a different string than the one built',
  },

  patternDefinition:
    'the sequence of last letters (the answer): questions whose words end in the same letters share it; counts every letter string the word list can give',
  pattern: (p) => p.answer,
  patternCount: (size) => letterStrings(size),

  sample(rng: Rng, size: number): LastLettersProblem {
    const words = rng.sample(LETTER_WORDS, size);
    const answer = words.map(lastLetter).join('');
    return {
      question: `Take the last letters of the words in "${words.join(' ')}" and concatenate them.`,
      answer,
      choices: null,
      facts: { words },
    };
  },

  render: (p) => build(p, null, false).draft,
  formatAnswer: (answer) => answer,

  wrongAnswer(p: LastLettersProblem, rng: Rng): string {
    const reversed = [...p.answer].reverse().join('');
    if (reversed !== p.answer && rng.chance(0.5)) return reversed;
    const at = rng.int(0, p.answer.length - 1);
    const letter = rng.pick([...ALPHABET].filter((c) => c !== p.answer[at]));
    return p.answer.slice(0, at) + letter + p.answer.slice(at + 1);
  },

  irrelevantSentence(p: LastLettersProblem, rng: Rng): string {
    const word = rng.pick(p.facts.words);
    return rng.chance(0.5) ? `The first letter of "${word}" is "${word[0]}".` : `"${word}" has ${word.length} letters.`;
  },

  inject(p: LastLettersProblem, type: TaskSpecificFault, propagate: boolean, rng: Rng): FaultedDraft | null {
    const { words } = p.facts;
    if (type === 'quantity_misread') {
      const index = rng.int(0, words.length - 1);
      const truth = lastLetter(words[index]!);
      // A different ending guarantees the propagated answer differs from gold.
      const pool = LETTER_WORDS.filter((w) => !words.includes(w) && lastLetter(w) !== truth);
      return build(p, { kind: 'misread', index, shown: rng.pick(pool) }, propagate);
    }
    if (type === 'contradictory_statement') {
      const after = rng.int(0, words.length - 1);
      const truth = lastLetter(words[after]!);
      const letter = rng.pick([...ALPHABET].filter((c) => c !== truth));
      return build(p, { kind: 'contradict', after, letter }, propagate);
    }
    return null; // no arithmetic in letter concatenation
  },
};
