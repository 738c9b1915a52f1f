// arithmetic: 2-3 step word problems in the MultiArith style (templates in arithmeticTemplates.ts).
// One rationale step per operation, written "x op y = r", which is what arithmetic slips and
// misread quantities corrupt; the engine's generic faults add skipped steps and the rest.
import { normalizeAnswer } from '../../../../shared/answers';
import { conclusionStep, seg, textStep } from '../draft';
import type { Rng } from '../prng';
import type { DraftStep, FaultedDraft, Problem, Segment, SyntheticTask, TaskSpecificFault } from '../types';
import { applyOp } from '../../../../shared/arithmetic';
import { ACTORS, ARITH_TEMPLATES, ITEMS, type ArithTemplate, type IntSource, type Ref } from './arithmeticTemplates';

export interface ArithmeticProblem extends Problem {
  facts: { template: string; actor: string; item: string; quantities: number[]; results: number[] };
}

interface Theme {
  N: string;
  P: string;
  p: string;
  item: string;
}

type ArithFault =
  | { kind: 'slip'; step: number; value: number }
  | { kind: 'misread'; step: number; operand: 'x' | 'y'; value: number }
  | { kind: 'contradict'; after: number; value: number };

const TEMPLATE_BY_ID = new Map(ARITH_TEMPLATES.map((t) => [t.id, t]));

/** Fills a template; {x} {y} {r} {w} become their own segments so they can be marked. */
function fill(text: string, theme: Theme, nums: Partial<Record<'x' | 'y' | 'r' | 'w', { value: number; marked: boolean }>>): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  let last = 0;
  for (const m of text.matchAll(/\{(x|y|r|w|N|P|p|item)\}/g)) {
    plain += text.slice(last, m.index);
    last = m.index + m[0].length;
    const key = m[1]!;
    if (key === 'N' || key === 'P' || key === 'p' || key === 'item') {
      plain += theme[key];
      continue;
    }
    const num = nums[key as 'x' | 'y' | 'r' | 'w'];
    if (!num) throw new Error(`arithmetic template: no value for {${key}} in "${text}"`);
    if (plain) out.push(seg(plain));
    plain = '';
    out.push(seg(String(num.value), num.marked));
  }
  plain += text.slice(last);
  if (plain) out.push(seg(plain));
  return out;
}

function themeOf(p: ArithmeticProblem): Theme {
  const pronoun = ACTORS.find(([name]) => name === p.facts.actor)?.[1] ?? 'she';
  return { N: p.facts.actor, P: pronoun === 'she' ? 'She' : 'He', p: pronoun, item: p.facts.item };
}

function templateOf(p: ArithmeticProblem): ArithTemplate {
  const t = TEMPLATE_BY_ID.get(p.facts.template);
  if (!t) throw new Error(`arithmetic: unknown template ${p.facts.template}`);
  return t;
}

/** Non-negative integer: every value a grade-school teacher would write down. */
const plausible = (n: number): boolean => Number.isInteger(n) && n >= 0;

/**
 * Runs the program with at most one fault. Without `propagate` only the faulty number differs
 * from the clean rationale; with it later steps compute from the wrong value. Returns null when
 * the faulted program leaves whole non-negative numbers (e.g. a division no longer exact).
 */
function build(p: ArithmeticProblem, fault: ArithFault | null, propagate: boolean): (FaultedDraft & { final: number }) | null {
  const template = templateOf(p);
  const theme = themeOf(p);
  const q = p.facts.quantities;
  const values: number[] = [];
  const steps: DraftStep[] = [];
  let note = '';
  let original = '';
  const resolve = (ref: Ref): number => ('q' in ref ? q[ref.q]! : values[ref.s]!);

  for (let j = 0; j < template.steps.length; j++) {
    const st = template.steps[j]!;
    const shown = { x: resolve(st.x), y: resolve(st.y) };
    const used = { ...shown };
    let misreadOperand: 'x' | 'y' | null = null;
    if (fault?.kind === 'misread' && fault.step === j) {
      misreadOperand = fault.operand;
      original = String(shown[fault.operand]);
      shown[fault.operand] = fault.value;
      if (propagate) used[fault.operand] = fault.value;
      note = `the question gives ${original}; the rationale uses ${fault.value}`;
    }
    const r = applyOp(st.op, used.x, used.y);
    let shownR = r;
    let slipped = false;
    if (fault?.kind === 'slip' && fault.step === j) {
      slipped = true;
      original = String(r);
      shownR = fault.value;
      note = `${shown.x} ${st.op} ${shown.y} = ${fault.value} (should be ${r})`;
    }
    if (!plausible(r) || !plausible(shownR)) return null;
    values.push(slipped && propagate ? shownR : r);
    steps.push({
      segments: fill(st.text, theme, {
        x: { value: shown.x, marked: misreadOperand === 'x' },
        y: { value: shown.y, marked: misreadOperand === 'y' },
        r: { value: shownR, marked: slipped },
      }),
      produces: `s${j}`,
      uses: 's' in st.x ? [`s${st.x.s}`] : 's' in st.y ? [`s${st.y.s}`] : [],
      skippable: true,
    });
    if (fault?.kind === 'contradict' && fault.after === j) {
      const claim = fill(st.claim, theme, { w: { value: fault.value, marked: true } });
      steps.push(textStep(claim.map((s) => s.text).join(''), true));
      note = `inserted a claim of ${fault.value} right after deriving ${values[j]}`;
      if (propagate) values[j] = fault.value;
    }
  }
  // The conclusion uses the last result; each step already lists the previous one it builds on.
  const final = values[values.length - 1]!;
  steps.push(conclusionStep(String(final), [`s${template.steps.length - 1}`]));
  return { draft: { steps, teacherAnswer: String(final) }, note, original, final };
}

/**
 * Number of distinct quantity tuples `template.quantities` can return: every sequence of int()
 * outcomes is replayed (depth-first, like an odometer) and the results collected.
 */
function countQuantityTuples(template: ArithTemplate, large: boolean): number {
  const seen = new Set<string>();
  const path: { value: number; max: number }[] = [];
  for (;;) {
    let depth = 0;
    const source: IntSource = {
      int(min, max) {
        if (max < min) throw new Error(`arithmetic template ${template.id}: empty range ${min}..${max}`);
        if (depth < path.length) return path[depth++]!.value;
        path.push({ value: min, max });
        depth++;
        return min;
      },
    };
    seen.add(template.quantities(source, large).join(','));
    while (path.length > 0 && path[path.length - 1]!.value === path[path.length - 1]!.max) path.pop();
    if (path.length === 0) return seen.size;
    path[path.length - 1]!.value++;
  }
}

const tupleCounts = new Map<string, number>();

/** Nearby wrong values a careless teacher might write instead of `n`. */
function nearMisses(n: number): number[] {
  const out = new Set<number>();
  for (const d of [1, 2, 3, 10, -1, -2, -3, -10]) out.add(n + d);
  const digits = String(n);
  if (digits.length === 2 && digits[0] !== digits[1]) out.add(Number(digits[1]! + digits[0]!));
  out.delete(n);
  return [...out].filter((v) => v >= 0);
}

export const arithmetic: SyntheticTask<ArithmeticProblem> = {
  name: 'arithmetic',
  description:
    'Arithmetic word problems (MultiArith style): 2-3 operations on small whole numbers, one "x op y = r" step each. Size = number of steps; the compositional test split also uses larger numbers.',
  answerType: 'number',
  size: { unit: 'steps', defaultMin: 2, defaultMax: 3, allowedMin: 2, allowedMax: 3 },
  applicableTypes: {
    arithmetic_slip: 'a step computes the wrong result, e.g. "14 / 2 = 8"',
    quantity_misread: 'a step uses a number that differs from the one in the question',
    skipped_step: 'a step is left out, so the next step uses a result never derived',
    irrelevant_statement: 'an inserted sentence unrelated to the computation',
    contradictory_statement: 'an inserted claim of a wrong value right after a step derived the right one',
    answer_mismatch: 'the conclusion states a number other than the last result',
  },

  patternDefinition:
    'the template and its question numbers (the whole computation; actor and item names are surface); counts every number combination the templates of that size allow',
  pattern: (p) => `${p.facts.template}:${p.facts.quantities.join(',')}`,
  patternCount(size, heldOut) {
    let total = 0;
    for (const t of ARITH_TEMPLATES.filter((x) => x.steps.length === size)) {
      const key = `${t.id}/${heldOut}`;
      if (!tupleCounts.has(key)) tupleCounts.set(key, countQuantityTuples(t, heldOut));
      total += tupleCounts.get(key)!;
    }
    return total;
  },

  sample(rng: Rng, size: number, heldOut: boolean): ArithmeticProblem {
    const template = rng.pick(ARITH_TEMPLATES.filter((t) => t.steps.length === size));
    const [actor, pronoun] = rng.pick(ACTORS);
    const item = rng.pick(ITEMS);
    const quantities = template.quantities(rng, heldOut);
    const theme: Theme = { N: actor, P: pronoun === 'she' ? 'She' : 'He', p: pronoun, item };
    const question = template.question.replace(/\{(q\d|N|P|p|item)\}/g, (_, key: string) =>
      key.startsWith('q') ? String(quantities[Number(key.slice(1))]) : theme[key as keyof Theme],
    );
    const results: number[] = [];
    for (const st of template.steps) {
      const val = (ref: Ref): number => ('q' in ref ? quantities[ref.q]! : results[ref.s]!);
      results.push(applyOp(st.op, val(st.x), val(st.y)));
    }
    const answer = normalizeAnswer('number', String(results[results.length - 1]));
    if (answer === null) throw new Error(`arithmetic: template ${template.id} gave no number`);
    return { question, answer, choices: null, facts: { template: template.id, actor, item, quantities, results } };
  },

  render(p) {
    const built = build(p, null, false);
    if (!built) throw new Error(`arithmetic: template ${p.facts.template} produced an invalid clean rationale`);
    return built.draft;
  },
  formatAnswer: (answer) => answer,

  wrongAnswer(p: ArithmeticProblem, rng: Rng): string {
    return String(rng.pick(nearMisses(Number(p.answer))));
  },

  irrelevantSentence(p: ArithmeticProblem, rng: Rng): string {
    const { actor, item } = p.facts;
    return rng.pick([`${actor} likes ${item} a lot.`, 'It was a sunny day.', `${actor} is ${rng.int(7, 12)} years old.`, `The ${item} were on a table.`]);
  },

  inject(p: ArithmeticProblem, type: TaskSpecificFault, propagate: boolean, rng: Rng): FaultedDraft | null {
    const template = templateOf(p);
    const results = p.facts.results;
    const faults: ArithFault[] = [];
    template.steps.forEach((st, step) => {
      if (type === 'arithmetic_slip') {
        for (const value of nearMisses(results[step]!)) faults.push({ kind: 'slip', step, value });
      } else if (type === 'quantity_misread') {
        for (const operand of ['x', 'y'] as const) {
          const ref = st[operand];
          if (!('q' in ref)) continue; // only numbers that come from the question can be misread
          const truth = p.facts.quantities[ref.q]!;
          for (const value of nearMisses(truth)) if (value > 0) faults.push({ kind: 'misread', step, operand, value });
        }
      } else {
        for (const value of nearMisses(results[step]!)) faults.push({ kind: 'contradict', after: step, value });
      }
    });
    // Try candidates in random order; keep the first that stays plausible and, when propagated,
    // really changes the final answer (x+c, x-c, x*c, x/c are injective, but rounding is not).
    for (const fault of rng.shuffle(faults)) {
      const built = build(p, fault, propagate);
      if (!built) continue;
      if (propagate && String(built.final) === p.answer) continue;
      return built;
    }
    return null;
  },
};
