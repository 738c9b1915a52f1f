// The PST semantic-target section of a report (docs/methods.md, "PST diagnostics"): per PST run,
// the encoder and loss, the target diversity and the retrieval of the run's last diagnostics,
// with chance, so a reader sees whether PST's auxiliary target carried information.
import type { RetrievalDiagnostics } from '../../../shared/types/runs';
import type { Table } from './tables';
import type { ReportExperiment } from './types';

const pct = (x: number): string => (100 * x).toFixed(1);

function retrievalCell(r: RetrievalDiagnostics | null): string {
  return r ? `${pct(r.top1)} (chance ${pct(r.chanceTop1)}, n ${r.n})` : '—';
}

/** One row per PST run that recorded diagnostics; null when the experiment has none. */
export function semanticTable(exp: ReportExperiment): Table | null {
  const runs = [...exp.reproducibility.runs].filter((r) => r.semantic).sort((a, b) => a.id - b.id);
  if (runs.length === 0) return null;
  const left = (title: string) => ({ title, align: 'left' as const });
  const right = (title: string) => ({ title, align: 'right' as const });
  return {
    columns: [
      left('Run'),
      left('Encoder'),
      left('Loss'),
      right('Diversity (start)'),
      right('Raw diversity'),
      right('Step'),
      right('Train top-1 %'),
      right('Val top-1 %'),
      left('Degenerate'),
    ],
    rows: runs.map((r) => {
      const s = r.semantic!;
      const first = s.diagnostics[0];
      const last = s.diagnostics.at(-1);
      return [
        `#${r.id}`,
        s.encoder,
        s.loss,
        first?.diversity == null ? '—' : first.diversity.toFixed(3),
        first?.rawDiversity == null ? '—' : first.rawDiversity.toFixed(3),
        last ? String(last.step) : '—',
        retrievalCell(last?.train ?? null),
        retrievalCell(last?.val ?? null),
        s.diagnostics.some((d) => d.degenerate) ? 'YES' : 'no',
      ];
    }),
  };
}

export const SEMANTIC_NOTE =
  'Diversity: mean off-diagonal cosine of the targets the loss sees, over a fixed sample of training rationales (near 1 = no information; above 0.95 = degenerate). ' +
  "Raw diversity: the same before centring. Top-1: share of a fixed sample whose projected SEM state P(h_SEM) is closest to its own rationale's target, at the last validation.";
