// Evaluation by greedy decoding with each method's prompt, stop rule and answer location, and
// the dataset's answer normalisation (src/shared/answers.ts).
import { answersMatch, extractAnswer } from '../../../shared/answers';
import { greedyDecode } from './generate';
import type { Method, TrainExample } from './methods/types';
import type { Params } from './model';
import type { StudentNet } from './student';
import { SPECIAL, type Tokenizer } from './tokenizer';

export interface ExampleEvaluation {
  id: string;
  /** Normalised predicted answer, or null if none could be extracted. */
  prediction: string | null;
  /** The raw generated text (special tokens rendered by name). */
  output: string;
  correct: boolean;
  /** Tokens generated until the answer was complete (including its stop token). */
  tokensToAnswer: number;
  msToAnswer: number;
  tokensGenerated: number;
  /** Rationale the student generated (pre-thinking always; post-thinking when asked), else null. */
  generatedRationale: string | null;
  /**
   * Similarity of generatedRationale to the teacher rationale (token F1, ROUGE-L). Left null
   * here: src/main/lab/stats computes it from generatedRationale and the stored teacher text.
   */
  rationaleSimilarity: { tokenF1: number; rougeL: number } | null;
}

export interface EvaluationSummary {
  accuracy: number;
  count: number;
  correct: number;
  /**
   * Means over the outputs that have an extractable answer only (an output without one would count
   * its whole length); null when none has. Their share is `noAnswerShare` (docs/methods.md, "Evaluation").
   */
  meanTokensToAnswer: number | null;
  meanMsToAnswer: number | null;
  /** Share of outputs with no extractable answer. */
  noAnswerShare: number;
  /** Generated tokens per second over the whole evaluation (prefill included in the time). */
  generationTokensPerSec: number;
  results: ExampleEvaluation[];
}

export interface EvaluateOptions {
  /** Post-thinking: keep decoding after RAT to obtain the rationale. */
  generateRationale?: boolean;
  onExample?: (done: number, total: number, r: ExampleEvaluation) => void | Promise<void>;
  shouldCancel?: () => boolean;
}

export interface StudentModel {
  params: Params;
  net: StudentNet;
  tokenizer: Tokenizer;
  method: Method;
}

export async function evaluateExamples(model: StudentModel, examples: readonly TrainExample[], opts: EvaluateOptions = {}): Promise<EvaluationSummary> {
  const { tokenizer: tok, method, net } = model;
  const ans = tok.id(SPECIAL.ANS);
  const eos = tok.id(SPECIAL.EOS);
  const results: ExampleEvaluation[] = [];
  let genTokens = 0;
  let genMs = 0;
  for (const ex of examples) {
    if (opts.shouldCancel?.()) break;
    const spec = method.inference(ex, tok, net.context);
    let r: ExampleEvaluation;
    if (spec.maxNewTokens <= 0) {
      r = { id: ex.id, prediction: null, output: '', correct: false, tokensToAnswer: 0, msToAnswer: 0, tokensGenerated: 0, generatedRationale: null, rationaleSimilarity: null };
    } else {
      const continueRationale = opts.generateRationale && spec.rationaleAfter !== undefined;
      const d = await greedyDecode(net, model.params, {
        prompt: spec.prompt,
        stopTokens: spec.stopTokens,
        maxNewTokens: spec.maxNewTokens,
        continueAfter: continueRationale ? spec.rationaleAfter : undefined,
        finalStop: [eos],
      });
      genTokens += d.tokens.length;
      genMs += d.totalMs;
      const answerPart = d.firstStop >= 0 ? d.tokens.slice(0, d.firstStop) : d.tokens;
      let answerText: string;
      let rationale: string | null = null;
      if (spec.answerLocation === 'after-ans') {
        const at = answerPart.lastIndexOf(ans);
        answerText = at >= 0 ? tok.decode(answerPart.slice(at + 1), true) : '';
        rationale = tok.decode(at >= 0 ? answerPart.slice(0, at) : answerPart, true);
      } else {
        answerText = tok.decode(answerPart, true);
        if (continueRationale && d.firstStop >= 0) {
          const rest = d.tokens.slice(d.firstStop + 1).filter((t) => t !== eos);
          rationale = tok.decode(rest, true);
        }
      }
      const prediction = answerText.trim() ? extractAnswer(ex.answerType, answerText, ex.choices) : null;
      r = {
        id: ex.id,
        prediction,
        output: tok.decode(d.tokens),
        correct: prediction !== null && answersMatch(ex.answerType, prediction, ex.answer, ex.choices),
        tokensToAnswer: d.tokensToFirstStop,
        msToAnswer: d.msToFirstStop,
        tokensGenerated: d.tokens.length,
        generatedRationale: rationale,
        rationaleSimilarity: null,
      };
    }
    results.push(r);
    await opts.onExample?.(results.length, examples.length, r);
  }
  const correct = results.filter((r) => r.correct).length;
  const answered = results.filter((r) => r.prediction !== null);
  const mean = (f: (r: ExampleEvaluation) => number): number | null =>
    answered.length ? answered.reduce((a, r) => a + f(r), 0) / answered.length : null;
  return {
    accuracy: results.length ? correct / results.length : 0,
    count: results.length,
    correct,
    meanTokensToAnswer: mean((r) => r.tokensToAnswer),
    meanMsToAnswer: mean((r) => r.msToAnswer),
    noAnswerShare: results.length ? (results.length - answered.length) / results.length : 0,
    generationTokensPerSec: genMs > 0 ? genTokens / (genMs / 1000) : 0,
    results,
  };
}
