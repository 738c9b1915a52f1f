// coin_flip (Fine-tune-CoT / Zero-shot-CoT "Coin Flip"): a coin starts heads up, each person
// flips it or not, and the question is whether it is still heads up. One rationale step per
// person, each stating the resulting side, so every step derives from the one before it.
import { conclusionStep, seg, textStep } from '../draft';
import type { Rng } from '../prng';
import type { Draft, DraftStep, FaultedDraft, Problem, SyntheticTask, TaskSpecificFault } from '../types';
import { SHORT_NAMES } from '../words';

export interface CoinFlipProblem extends Problem {
  facts: { people: string[]; flips: boolean[] };
}

type Side = 'heads' | 'tails';
const other = (s: Side): Side => (s === 'heads' ? 'tails' : 'heads');
const action = (flips: boolean): string => (flips ? 'flips it' : 'does not flip it');
const answerOf = (s: Side): string => (s === 'heads' ? 'yes' : 'no');

type CoinFault =
  | { kind: 'misread-start' }
  | { kind: 'misread-action'; person: number }
  | { kind: 'contradict'; after: number };

/**
 * Renders the rationale, optionally with one fault. Without `propagate` only the injected text
 * differs from the clean rationale; with it the teacher believes the wrong side from there on.
 */
function build(p: CoinFlipProblem, fault: CoinFault | null, propagate: boolean): { draft: Draft; note: string; original: string } {
  const { people, flips } = p.facts;
  const anyFlip = flips.some(Boolean);
  let believed: Side = 'heads';
  let note = '';
  let original = '';
  const steps: DraftStep[] = [];
  const maybeContradict = (after: number): void => {
    if (fault?.kind !== 'contradict' || fault.after !== after) return;
    const claimed = other(believed);
    steps.push(textStep(`Now the coin is ${claimed} up.`, true));
    note = `inserted "Now the coin is ${claimed} up." although it is ${believed} up at this point`;
    if (propagate) believed = claimed;
  };

  const startMisread = fault?.kind === 'misread-start';
  const shownStart: Side = startMisread ? 'tails' : 'heads';
  if (startMisread) {
    original = 'heads';
    note = 'the question says the coin starts heads up; the rationale says tails';
    if (propagate) believed = shownStart;
  }
  steps.push({ segments: [seg('The coin starts '), seg(shownStart, startMisread), seg(' up.')], produces: 's0' });
  maybeContradict(0);

  people.forEach((name, i) => {
    const misread = fault?.kind === 'misread-action' && fault.person === i;
    const shownFlip = misread ? !flips[i]! : flips[i]!;
    const effectiveFlip = misread && propagate ? shownFlip : flips[i]!;
    if (misread) {
      original = action(flips[i]!);
      note = `the question says ${name} ${flips[i] ? 'flips' : 'does not flip'} the coin; the rationale says "${action(shownFlip)}"`;
    }
    if (effectiveFlip) believed = other(believed);
    steps.push({
      segments: [
        seg(`${name} `),
        seg(action(shownFlip), misread),
        seg(`, so it ${effectiveFlip ? 'is' : 'stays'} ${believed}.`),
      ],
      produces: `s${i + 1}`,
      uses: [`s${i}`],
      // A step where the side changes is real work; skipping a no-flip step hides nothing, so
      // those only qualify when nobody flips.
      skippable: anyFlip ? flips[i]! : true,
    });
    maybeContradict(i + 1);
  });
  steps.push(conclusionStep(answerOf(believed), [`s${people.length}`]));
  return { draft: { steps, teacherAnswer: answerOf(believed) }, note, original };
}

export const coinFlip: SyntheticTask<CoinFlipProblem> = {
  name: 'coin_flip',
  description:
    'Coin flip (Fine-tune-CoT style): a coin starts heads up, each person flips it or not; is it still heads up? Size = number of people.',
  answerType: 'yesno',
  size: { unit: 'people', defaultMin: 2, defaultMax: 4, allowedMin: 1, allowedMax: 6 },
  applicableTypes: {
    quantity_misread: 'a fact read wrongly from the question: the start side, or whether a person flips',
    skipped_step: 'a flip step is left out, so the next step states a side that was never derived',
    irrelevant_statement: 'an inserted sentence unrelated to the coin\'s side',
    contradictory_statement: 'an inserted "Now the coin is X up." stating the wrong side',
    answer_mismatch: 'the conclusion says yes/no opposite to the derived side',
  },

  patternDefinition: 'the flip / no-flip sequence, one letter per person (F or N); 2^people patterns per size',
  pattern: (p) => p.facts.flips.map((f) => (f ? 'F' : 'N')).join(''),
  patternCount: (size) => 2 ** size,

  sample(rng: Rng, size: number): CoinFlipProblem {
    const people = rng.sample(SHORT_NAMES, size);
    const flips = people.map(() => rng.chance(0.5));
    const parts = ['A coin is heads up.'];
    people.forEach((name, i) => parts.push(`${name} ${flips[i] ? 'flips' : 'does not flip'} the coin.`));
    parts.push('Is the coin still heads up?');
    const flipCount = flips.filter(Boolean).length;
    return { question: parts.join(' '), answer: flipCount % 2 === 0 ? 'yes' : 'no', choices: null, facts: { people, flips } };
  },

  render: (p) => build(p, null, false).draft,
  formatAnswer: (answer) => answer,
  wrongAnswer: (p) => (p.answer === 'yes' ? 'no' : 'yes'),

  irrelevantSentence(p: CoinFlipProblem, rng: Rng): string {
    const name = rng.pick(p.facts.people);
    return rng.pick([`${name} likes board games.`, 'The coin is made of silver.', `${name} is wearing a hat.`, 'A coin has two sides.']);
  },

  inject(p: CoinFlipProblem, type: TaskSpecificFault, propagate: boolean, rng: Rng): FaultedDraft | null {
    let fault: CoinFault;
    if (type === 'quantity_misread') {
      const person = rng.int(-1, p.facts.people.length - 1);
      fault = person < 0 ? { kind: 'misread-start' } : { kind: 'misread-action', person };
    } else if (type === 'contradictory_statement') {
      fault = { kind: 'contradict', after: rng.int(0, p.facts.people.length) };
    } else {
      return null; // no arithmetic in a coin flip
    }
    // Every coin fault flips the believed side once, so with propagate the answer always changes.
    return build(p, fault, propagate);
  },
};
