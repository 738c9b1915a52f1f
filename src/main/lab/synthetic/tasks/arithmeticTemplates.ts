// MultiArith-style word problem templates for the `arithmetic` task. Each template is a small
// program: a question with quantities q0..q3 and 2-3 steps, each step one operation on question
// quantities or on the previous step's result (a chain, so skipping a step is always visible).
import type { Op } from '../../../../shared/arithmetic';
import type { Rng } from '../prng';

/** The only draw the templates make, so every outcome can also be enumerated (patternCount). */
export type IntSource = Pick<Rng, 'int'>;

/** Operand reference: a question quantity or an earlier step's result. */
export type Ref = { q: number } | { s: number };

export interface ProgramStep {
  op: Op;
  x: Ref;
  y: Ref;
  /** Step sentence; {x} {y} {r} are the operands and result, {N} {P} {p} {item} the theme. */
  text: string;
  /** A one-sentence claim about this step's result ({w}), for contradictory statements. */
  claim: string;
}

export interface ArithTemplate {
  id: string;
  question: string;
  steps: ProgramStep[];
  /**
   * Quantities satisfying the template's constraints (positive results, exact divisions). `large`
   * draws from the held-out ranges of the compositional test split, above the normal ones.
   */
  quantities(rng: IntSource, large: boolean): number[];
}

export const ARITH_TEMPLATES: readonly ArithTemplate[] = [
  {
    id: 'give-get',
    question: '{N} had {q0} {item}. {P} gave away {q1} and then got {q2} more. How many {item} does {p} have now?',
    steps: [
      { op: '-', x: { q: 0 }, y: { q: 1 }, text: '{P} has {x} - {y} = {r} {item} left.', claim: 'So {p} has {w} {item} left.' },
      { op: '+', x: { s: 0 }, y: { q: 2 }, text: 'Then {p} has {x} + {y} = {r} {item}.', claim: 'So {p} has {w} {item} now.' },
    ],
    quantities(rng, large) {
      if (large) {
        const q0 = rng.int(60, 99);
        return [q0, rng.int(30, q0 - 1), rng.int(16, 40)];
      }
      const q0 = rng.int(8, 30);
      return [q0, rng.int(1, q0 - 1), rng.int(1, 15)];
    },
  },
  {
    id: 'boxes-plus',
    question: '{N} has {q0} boxes of {q1} {item} each and buys {q2} more {item}. How many {item} does {p} have?',
    steps: [
      { op: '*', x: { q: 0 }, y: { q: 1 }, text: 'The boxes hold {x} * {y} = {r} {item}.', claim: 'So the boxes hold {w} {item}.' },
      { op: '+', x: { s: 0 }, y: { q: 2 }, text: 'In total {p} has {x} + {y} = {r} {item}.', claim: 'So {p} has {w} {item}.' },
    ],
    quantities(rng, large) {
      if (large) return [rng.int(10, 19), rng.int(10, 19), rng.int(16, 40)];
      return [rng.int(2, 9), rng.int(2, 9), rng.int(1, 15)];
    },
  },
  {
    id: 'sell-good',
    question: '{N} picked {q0} {item} but {q1} were bad. {P} sells each good one for {q2} dollars. How many dollars does {p} make?',
    steps: [
      { op: '-', x: { q: 0 }, y: { q: 1 }, text: '{P} has {x} - {y} = {r} good {item}.', claim: 'So {p} has {w} good {item}.' },
      { op: '*', x: { s: 0 }, y: { q: 2 }, text: '{P} makes {x} * {y} = {r} dollars.', claim: 'So {p} makes {w} dollars.' },
    ],
    quantities(rng, large) {
      if (large) {
        const q0 = rng.int(40, 80);
        return [q0, rng.int(19, q0 - 2), rng.int(7, 12)];
      }
      const q0 = rng.int(5, 20);
      return [q0, rng.int(1, q0 - 2), rng.int(2, 6)];
    },
  },
  {
    id: 'bag-cookies',
    question: '{N} baked {q0} cookies and ate {q1}. {P} put the rest into bags of {q2}. How many bags did {p} fill?',
    steps: [
      { op: '-', x: { q: 0 }, y: { q: 1 }, text: '{x} - {y} = {r} cookies are left.', claim: 'So {w} cookies are left.' },
      { op: '/', x: { s: 0 }, y: { q: 2 }, text: '{P} fills {x} / {y} = {r} bags.', claim: 'So {p} fills {w} bags.' },
    ],
    quantities(rng, large) {
      const per = large ? rng.int(7, 12) : rng.int(2, 6);
      const ate = large ? rng.int(10, 19) : rng.int(1, 9);
      return [per * (large ? rng.int(9, 15) : rng.int(2, 8)) + ate, ate, per];
    },
  },
  {
    id: 'packs-give',
    question: '{N} had {q0} {item}. {P} bought {q1} packs of {q2} {item} and gave away {q3}. How many {item} does {p} have now?',
    steps: [
      { op: '*', x: { q: 1 }, y: { q: 2 }, text: 'The packs hold {x} * {y} = {r} {item}.', claim: 'So the packs hold {w} {item}.' },
      { op: '+', x: { q: 0 }, y: { s: 0 }, text: '{P} then has {x} + {y} = {r} {item}.', claim: 'So {p} has {w} {item}.' },
      { op: '-', x: { s: 1 }, y: { q: 3 }, text: 'After giving some away, {p} has {x} - {y} = {r} {item}.', claim: 'So {p} has {w} {item} left.' },
    ],
    quantities(rng, large) {
      if (large) {
        const q0 = rng.int(21, 60);
        const q1 = rng.int(7, 12);
        const q2 = rng.int(9, 15);
        return [q0, q1, q2, rng.int(68, q0 + q1 * q2 - 1)];
      }
      const q0 = rng.int(1, 20);
      const q1 = rng.int(2, 6);
      const q2 = rng.int(2, 8);
      return [q0, q1, q2, rng.int(1, q0 + q1 * q2 - 1)];
    },
  },
  {
    id: 'class-teams',
    question: 'A class has {q0} boys and {q1} girls. {q2} are absent and the rest form teams of {q3}. How many teams are there?',
    steps: [
      { op: '+', x: { q: 0 }, y: { q: 1 }, text: 'There are {x} + {y} = {r} students.', claim: 'So there are {w} students.' },
      { op: '-', x: { s: 0 }, y: { q: 2 }, text: 'Then {x} - {y} = {r} students are present.', claim: 'So {w} students are present.' },
      { op: '/', x: { s: 1 }, y: { q: 3 }, text: 'They form {x} / {y} = {r} teams.', claim: 'So there are {w} teams.' },
    ],
    quantities(rng, large) {
      // Held out: bigger teams, more teams and more absent students (boys/girls may overlap).
      const size = large ? rng.int(7, 12) : rng.int(2, 6);
      const present = size * (large ? rng.int(9, 15) : rng.int(2, 8));
      const absent = large ? rng.int(7, 15) : rng.int(2, 6); // at least 2: "1 are absent" reads wrong
      const boys = rng.int(2, present + absent - 2); // >= 2 boys and girls: "1 girls" reads wrong
      return [boys, present + absent - boys, absent, size];
    },
  },
];

export const ITEMS: readonly string[] = ['apples', 'pencils', 'stickers', 'marbles', 'cards', 'shells', 'books', 'pens'];
export const ACTORS: readonly (readonly [string, 'she' | 'he'])[] = [
  ['Ann', 'she'], ['Bob', 'he'], ['Eve', 'she'], ['Gus', 'he'], ['Ida', 'she'], ['Max', 'he'], ['Pam', 'she'],
  ['Sam', 'he'], ['Zoe', 'she'], ['Tom', 'he'], ['Mia', 'she'], ['Ben', 'he'], ['Uma', 'she'], ['Ned', 'he'],
];
