// The PST options (λ, encoder, loss) a run trained with, for the runs table and the CSV: a PST run
// whose options were left at their defaults shows the values it used, not blanks. The run's recorded
// resolved configuration wins (what the worker actually ran); before it started, the run's own
// options are resolved through the method defaults (training/methods, docs/methods.md "PST").
import { resolveMethodConfig } from '../training/methods';
import type { ReportExperiment } from './types';

type ReportRun = ReportExperiment['reproducibility']['runs'][number];

export interface PstOptions {
  lambda: number;
  encoder: string;
  loss: string;
}

function record(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

/** The run's PST options; null for a run of another method. */
export function runPstOptions(run: Pick<ReportRun, 'factors' | 'spec' | 'resolved'>): PstOptions | null {
  if (run.factors.method !== 'pst') return null;
  const used = record(record(run.resolved)?.method);
  if (used && typeof used.lambda === 'number' && typeof used.encoder === 'string' && typeof used.loss === 'string') {
    return { lambda: used.lambda, encoder: used.encoder, loss: used.loss };
  }
  const options = record(record(run.spec)?.methodOptions) ?? {};
  const cfg = resolveMethodConfig({
    ...options,
    method: 'pst',
    ...(run.factors.lambda !== null ? { lambda: run.factors.lambda } : {}),
    ...(run.factors.encoder !== null ? { encoder: run.factors.encoder } : {}),
    ...(run.factors.loss !== null ? { loss: run.factors.loss } : {}),
  });
  if (cfg.method !== 'pst') return null;
  return { lambda: cfg.lambda, encoder: cfg.encoder, loss: cfg.loss };
}
