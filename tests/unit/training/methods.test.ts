import { describe, expect, it } from 'vitest';
import { createMethod, resolveMethodConfig } from '../../../src/main/lab/training/methods';
import { emptyStats } from '../../../src/main/lab/training/methods/layout';
import type { EncodedSequence, TrainExample } from '../../../src/main/lab/training/methods/types';
import { CharTokenizer, SPECIAL, semToken } from '../../../src/main/lab/training/tokenizer';

const ex: TrainExample = { id: 'e1', question: 'Q?', answer: 'yes', answerType: 'yesno', choices: null, rationale: 'r1', teacherAnswer: 'no' };
const tok = CharTokenizer.fromTexts(['Q?', 'yes', 'no', 'r1'], 2);

/** Renders a sequence as token names with the loss term of each token: "Q? <sep> y:a e:a ...". */
function render(s: EncodedSequence): string {
  return s.tokens.map((t, i) => `${tok.decode([t])}${s.terms[i] ? `:${s.terms[i]![0]}` : ''}`).join(' ');
}

function encode(method: Record<string, unknown>, context = 64) {
  const stats = emptyStats();
  const m = createMethod(resolveMethodConfig(method as { method: 'pst' }));
  return { enc: m.encode(ex, 0, tok, context, stats), stats, m };
}

describe('method sequence layouts and loss masks', () => {
  it('answer-only: x SEP y EOS with NTP on y and EOS', () => {
    const { enc, m } = encode({ method: 'answer-only' });
    expect(enc!.sequences).toHaveLength(1);
    expect(render(enc!.sequences[0]!)).toBe('Q ? <sep> y:a e:a s:a <eos>:a');
    expect(m.termWeights).toEqual({ answer: 1, rationale: 0 });
  });

  it('pre-thinking: x SEP r ANS y EOS, ANS closes the rationale term', () => {
    const { enc, m } = encode({ method: 'pre-thinking' });
    expect(render(enc!.sequences[0]!)).toBe('Q ? <sep> r:r 1:r <ans>:r y:a e:a s:a <eos>:a');
    const inf = m.inference(ex, tok, 64);
    expect(inf.answerLocation).toBe('after-ans');
    expect(tok.decode(inf.prompt)).toBe('Q?<sep>');
  });

  it('prefix: [predict] and [explain] sequences weighted alpha / 1 - alpha', () => {
    const { enc, m } = encode({ method: 'prefix', alpha: 0.3 });
    expect(enc!.sequences.map(render)).toEqual(['[predict] Q ? <sep> y:a e:a s:a <eos>:a', '[explain] Q ? <sep> r:r 1:r <eos>:r']);
    expect(m.termWeights.answer).toBeCloseTo(0.3);
    expect(m.termWeights.rationale).toBeCloseTo(0.7);
    expect(tok.decode(m.inference(ex, tok, 64).prompt)).toBe('[predict]Q?<sep>');
  });

  it('post-thinking: x SEP y RAT r EOS with w_y, w_r and an early stop at RAT', () => {
    const { enc, m } = encode({ method: 'post-thinking', answerWeight: 2, rationaleWeight: 0.5 });
    expect(render(enc!.sequences[0]!)).toBe('Q ? <sep> y:a e:a s:a <rat>:a r:r 1:r <eos>:r');
    expect(m.termWeights).toEqual({ answer: 2, rationale: 0.5 });
    const inf = m.inference(ex, tok, 64);
    expect(inf.stopTokens).toContain(tok.id(SPECIAL.RAT));
    expect(inf.answerLocation).toBe('generated');
  });

  it('pst: x SEP y SEM_1..SEM_k EOS; SEM_1 ends the answer, rationale is not a token target', () => {
    const { enc, m } = encode({ method: 'pst', k: 2, encoder: 'self-online' });
    const s = enc!.sequences[0]!;
    expect(render(s)).toBe('Q ? <sep> y:a e:a s:a <sem_1>:a <sem_2> <eos>');
    expect(s.semPositions).toEqual([6, 7]);
    expect(s.semPositions!.map((p) => tok.decode([s.tokens[p]!]))).toEqual([semToken(1), semToken(2)]);
    expect(tok.decode(enc!.rationaleTokens!)).toBe('<rat>r1');
    // Frozen encoders read the rationale text themselves: no live `RAT r` pass.
    expect(encode({ method: 'pst', k: 2, encoder: 'self' }).enc!.rationaleTokens).toBeUndefined();
    expect(m.termWeights).toEqual({ answer: 1, rationale: 0 });
    expect(m.inference(ex, tok, 64).stopTokens).toContain(tok.id(semToken(1)));
  });

  it('pst with beta > 0 keeps a residual rationale NTP segment', () => {
    const { enc, m } = encode({ method: 'pst', k: 1, beta: 0.5 });
    expect(render(enc!.sequences[0]!)).toBe('Q ? <sep> y:a e:a s:a <sem_1>:a r:r 1:r <eos>:r');
    expect(m.termWeights.rationale).toBe(0.5);
  });

  it('teacher answer target, and truncation / dropping at the context limit are counted', () => {
    const t = encode({ method: 'answer-only', answerTarget: 'teacher' });
    expect(render(t.enc!.sequences[0]!)).toBe('Q ? <sep> n:a o:a <eos>:a');
    const cut = encode({ method: 'post-thinking' }, 9);
    expect(render(cut.enc!.sequences[0]!)).toBe('Q ? <sep> y:a e:a s:a <rat>:a r:r <eos>:r');
    expect(cut.stats.truncatedRationales).toBe(1);
    const drop = encode({ method: 'answer-only' }, 5);
    expect(drop.enc).toBeNull();
    expect(drop.stats.droppedTooLong).toBe(1);
  });

  it('rejects unknown methods and options with a clear error', () => {
    expect(() => resolveMethodConfig({ method: 'nope' as 'pst' })).toThrow(/unknown method 'nope'/);
    expect(() => resolveMethodConfig({ method: 'pst', loss: 'l1' })).toThrow(/loss must be/);
    expect(() => createMethod(resolveMethodConfig({ method: 'prefix', alpha: 2 }))).toThrow(/alpha/);
  });

  it('tokenizer round-trips through JSON and maps unseen characters to UNK', () => {
    const back = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(back.vocab).toEqual(tok.vocab);
    expect(back.decode(back.encode('Qé'))).toBe(`Q${SPECIAL.UNK}`);
  });
});
