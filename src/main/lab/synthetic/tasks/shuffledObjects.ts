// shuffled_objects (BIG-bench tracking_shuffled_objects, three objects): three people hold
// objects, pairs swap in sequence, and the question asks who ends up with what, as a multiple
// choice over the objects. One rationale step per swap stating both new holdings.
import { normalizeAnswer } from '../../../../shared/answers';
import { conclusionStep, seg, textStep } from '../draft';
import type { Rng } from '../prng';
import type { DraftStep, FaultedDraft, Problem, SyntheticTask, TaskSpecificFault } from '../types';
import { COLORS, SHORT_NAMES } from '../words';

export interface ShuffledObjectsProblem extends Problem {
  facts: { people: string[]; kind: string; colors: string[]; swaps: [number, number][]; asked: number };
}

const LETTERS = 'ABC';
const KINDS: readonly string[] = ['ball', 'hat', 'book', 'kite'];

type SwapFault =
  | { kind: 'misread'; step: number; side: 0 | 1 }
  | { kind: 'contradict'; after: number; person: number; color: string };

/** Index of the person not in the pair (three people only). */
const third = (a: number, b: number): number => 3 - a - b;

function build(p: ShuffledObjectsProblem, fault: SwapFault | null, propagate: boolean): FaultedDraft & { final: string } {
  const { people, colors, swaps, asked } = p.facts;
  const holding = colors.slice();
  const steps: DraftStep[] = [];
  let note = '';
  let original = '';
  swaps.forEach(([a, b], i) => {
    const misread = fault?.kind === 'misread' && fault.step === i ? fault : null;
    let shown: [number, number] = [a, b];
    if (misread) {
      const replaced = misread.side === 0 ? a : b;
      shown = misread.side === 0 ? [third(a, b), b] : [a, third(a, b)];
      original = people[replaced]!;
      note = `the question says ${people[a]} and ${people[b]} swap; the rationale swaps ${people[shown[0]]} and ${people[shown[1]]}`;
    }
    // Local errors leave the stated outcome of the swap as in the clean rationale.
    const [x, y] = misread && propagate ? shown : [a, b];
    const tmp = holding[x]!;
    holding[x] = holding[y]!;
    holding[y] = tmp;
    steps.push({
      segments: [
        seg(people[shown[0]]!, misread?.side === 0),
        seg(' and '),
        seg(people[shown[1]]!, misread?.side === 1),
        seg(` swap, so ${people[x]} has ${holding[x]} and ${people[y]} has ${holding[y]}.`),
      ],
      produces: `t${i}`,
      uses: i === 0 ? [] : [`t${i - 1}`],
      skippable: true,
    });
    if (fault?.kind === 'contradict' && fault.after === i) {
      const sentence = `Now ${people[fault.person]} has ${fault.color}.`;
      steps.push(textStep(sentence, true));
      note = `inserted "${sentence}" although ${people[fault.person]} has ${holding[fault.person]}`;
      if (propagate) {
        // The teacher now believes the claim; keep the holdings a permutation by trading with
        // whoever really holds that colour.
        const holder = holding.indexOf(fault.color);
        holding[holder] = holding[fault.person]!;
        holding[fault.person] = fault.color;
      }
    }
  });
  const finalColor = holding[asked]!;
  const letter = LETTERS[colors.indexOf(finalColor)]!;
  steps.push(conclusionStep(`(${letter})`, [`t${swaps.length - 1}`], `${people[asked]} ends with ${finalColor}, so the answer is `));
  return { draft: { steps, teacherAnswer: letter }, note, original, final: letter };
}

export const shuffledObjects: SyntheticTask<ShuffledObjectsProblem> = {
  name: 'shuffled_objects',
  description:
    'Tracking shuffled objects (BIG-bench style, 3 people): pairs swap objects in turn; which object does one person end with? Choices (A)-(C). Size = number of swaps.',
  answerType: 'choice',
  size: { unit: 'swaps', defaultMin: 2, defaultMax: 3, allowedMin: 1, allowedMax: 5 },
  applicableTypes: {
    quantity_misread: 'a swap is read with the wrong person (the one not in the swap)',
    skipped_step: 'a swap step is left out, so the next step states holdings never derived',
    irrelevant_statement: 'an inserted sentence unrelated to who holds what',
    contradictory_statement: 'an inserted "Now X has C." that contradicts the holdings just derived',
    answer_mismatch: 'the conclusion names a different option letter than the derived object',
  },

  patternDefinition:
    'the sequence of swapped seat pairs (unordered, no pair twice in a row) and the asked seat; 3 x 2^(swaps-1) x 3 patterns per size',
  pattern: (p) => `${p.facts.swaps.map(([a, b]) => `${Math.min(a, b)}${Math.max(a, b)}`).join(',')}?${p.facts.asked}`,
  patternCount: (size) => 3 * 2 ** (size - 1) * 3,

  sample(rng: Rng, size: number): ShuffledObjectsProblem {
    const people = rng.sample(SHORT_NAMES, 3);
    const colors = rng.sample(COLORS, 3);
    const kind = rng.pick(KINDS);
    const swaps: [number, number][] = [];
    for (let i = 0; i < size; i++) {
      // Never repeat the previous pair: an immediate swap-back is a degenerate puzzle.
      let pair: [number, number];
      do {
        const a = rng.int(0, 2);
        pair = [a, (a + rng.int(1, 2)) % 3];
      } while (i > 0 && new Set([...pair, ...swaps[i - 1]!]).size === 2);
      swaps.push(pair);
    }
    const asked = rng.int(0, 2);
    const holding = colors.slice();
    for (const [a, b] of swaps) [holding[a], holding[b]] = [holding[b]!, holding[a]!];
    // Kept terse (no "First,/Finally," or repeated nouns): the student's context is short.
    const question = [
      `${people[0]} has a ${colors[0]} ${kind}, ${people[1]} a ${colors[1]} one, and ${people[2]} a ${colors[2]} one.`,
      ...swaps.map(([a, b], i) => `${i === 0 ? '' : 'Then '}${people[a]} and ${people[b]} swap.`),
      `What color is ${people[asked]}'s ${kind} now?`,
      colors.map((c, i) => `(${LETTERS[i]}) ${c}`).join(' '),
    ].join(' ');
    const answer = normalizeAnswer('choice', LETTERS[colors.indexOf(holding[asked]!)]!, colors);
    if (answer === null) throw new Error('shuffled_objects: gold letter did not normalise');
    return { question, answer, choices: colors, facts: { people, kind, colors, swaps, asked } };
  },

  render: (p) => build(p, null, false).draft,
  formatAnswer: (answer) => `(${answer})`,

  wrongAnswer(p: ShuffledObjectsProblem, rng: Rng): string {
    return rng.pick([...LETTERS].filter((l) => l !== p.answer));
  },

  irrelevantSentence(p: ShuffledObjectsProblem, rng: Rng): string {
    const name = rng.pick(p.facts.people);
    return rng.pick([`${name} is the oldest player.`, 'They play in a park.', `${name} likes the game a lot.`]);
  },

  inject(p: ShuffledObjectsProblem, type: TaskSpecificFault, propagate: boolean, rng: Rng): FaultedDraft | null {
    const faults: SwapFault[] = [];
    const { swaps, colors } = p.facts;
    swaps.forEach((_, i) => {
      if (type === 'quantity_misread') {
        faults.push({ kind: 'misread', step: i, side: 0 }, { kind: 'misread', step: i, side: 1 });
      } else if (type === 'contradictory_statement') {
        for (let person = 0; person < 3; person++) {
          for (const color of colors) faults.push({ kind: 'contradict', after: i, person, color });
        }
      }
    });
    if (faults.length === 0) return null; // no arithmetic in swaps
    for (const fault of rng.shuffle(faults)) {
      // A "contradiction" restating the true holding is no contradiction.
      if (fault.kind === 'contradict' && holdingAfter(p, fault.after)[fault.person] === fault.color) continue;
      const built = build(p, fault, propagate);
      if (propagate && built.final === p.answer) continue; // the error must reach the answer
      return built;
    }
    return null;
  },
};

/** True holdings right after swap `step` (for checking that a claim really contradicts them). */
function holdingAfter(p: ShuffledObjectsProblem, step: number): string[] {
  const holding = p.facts.colors.slice();
  for (const [a, b] of p.facts.swaps.slice(0, step + 1)) [holding[a], holding[b]] = [holding[b]!, holding[a]!];
  return holding;
}
