// Reads a run's `final` record (written by the manager when the worker finishes; see
// src/main/lab/runs/manager.ts) defensively: it is stored as JSON and older runs may lack fields.
export interface FinalMetrics {
  status: string | null;
  steps: number | null;
  bestStep: number | null;
  bestValAccuracy: number | null;
  test: {
    accuracy: number | null;
    count: number | null;
    meanTokensToAnswer: number | null;
    meanMsToAnswer: number | null;
    /** Share of test outputs with no extractable answer (null for runs recorded before it existed). */
    noAnswerShare: number | null;
    generationTokensPerSec: number | null;
  } | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readFinal(final: Record<string, unknown> | null): FinalMetrics | null {
  if (!final) return null;
  const t = final.test && typeof final.test === 'object' ? (final.test as Record<string, unknown>) : null;
  return {
    status: typeof final.status === 'string' ? final.status : null,
    steps: num(final.steps),
    bestStep: num(final.bestStep),
    bestValAccuracy: num(final.bestValAccuracy),
    test: t
      ? {
          accuracy: num(t.accuracy),
          count: num(t.count),
          meanTokensToAnswer: num(t.meanTokensToAnswer),
          meanMsToAnswer: num(t.meanMsToAnswer),
          noAnswerShare: num(t.noAnswerShare),
          generationTokensPerSec: num(t.generationTokensPerSec),
        }
      : null,
  };
}
