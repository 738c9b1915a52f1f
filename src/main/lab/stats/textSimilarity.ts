// Similarity of a generated rationale to the teacher's: SQuAD-style token F1 and ROUGE-L.
// Both are bag/sequence measures over normalised tokens; they say how much of the teacher's
// wording the student reproduces, not whether its reasoning is right.

export interface PrfScore {
  precision: number;
  recall: number;
  f1: number;
}

/** SQuAD normalisation: lower-case, drop punctuation, drop articles a/an/the, split on spaces. */
export function squadTokens(text: string): string[] {
  const lowered = text.toLowerCase();
  const noPunct = lowered.replace(/[\p{P}\p{S}]/gu, '');
  const noArticles = noPunct.replace(/\b(a|an|the)\b/g, ' ');
  return noArticles.split(/\s+/).filter((t) => t.length > 0);
}

/** Token F1 as in the SQuAD evaluation script: multiset overlap of normalised tokens. */
export function tokenF1(prediction: string, reference: string): PrfScore {
  const p = squadTokens(prediction);
  const r = squadTokens(reference);
  if (p.length === 0 || r.length === 0) {
    const same = p.length === r.length ? 1 : 0;
    return { precision: same, recall: same, f1: same };
  }
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of p) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      common++;
      counts.set(t, left - 1);
    }
  }
  if (common === 0) return { precision: 0, recall: 0, f1: 0 };
  const precision = common / p.length;
  const recall = common / r.length;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

/** ROUGE tokenisation as in Google's rouge-score: lower-case, non-alphanumerics become spaces. */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((t) => t.length > 0);
}

/** Length of the longest common subsequence, O(n*m) time, O(m) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * ROUGE-L (Lin 2004): P = LCS/|prediction|, R = LCS/|reference|,
 * F = (1 + beta^2) P R / (R + beta^2 P). beta = 1 (plain F1) as in rouge-score.
 */
export function rougeL(prediction: string, reference: string, beta = 1): PrfScore {
  const p = rougeTokens(prediction);
  const r = rougeTokens(reference);
  const lcs = lcsLength(p, r);
  if (lcs === 0) return { precision: 0, recall: 0, f1: 0 };
  const precision = lcs / p.length;
  const recall = lcs / r.length;
  const b2 = beta * beta;
  return { precision, recall, f1: ((1 + b2) * precision * recall) / (recall + b2 * precision) };
}
