// The Runs list's experiment filter, sort and grouping: pure functions over the summaries so the
// page keeps no ordering rules of its own.
import type { RunSummary } from '../../../../shared/types/runs';

/** 'all' runs, only runs outside any experiment ('none'), or the runs of one experiment id. */
export type ExperimentFilter = 'all' | 'none' | number;

export type RunSort = 'newest' | 'experiment';

export interface RunGroup {
  /** The experiment id, or null for runs started on their own. */
  experimentId: number | null;
  /** Heading of the group: the experiment's name, or "No experiment". */
  label: string;
  runs: RunSummary[];
}

/** The experiments the runs belong to, by id, for the filter's options (newest experiment first). */
export function experimentsOf(runs: readonly RunSummary[]): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const r of runs)
    if (r.experimentId !== null) seen.set(r.experimentId, r.experimentName ?? `experiment ${r.experimentId}`);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => b.id - a.id);
}

export function filterRuns(runs: readonly RunSummary[], filter: ExperimentFilter): RunSummary[] {
  if (filter === 'all') return [...runs];
  if (filter === 'none') return runs.filter((r) => r.experimentId === null);
  return runs.filter((r) => r.experimentId === filter);
}

/** Newest run first; 'experiment' orders by experiment (newest experiment first, lone runs last), then newest run. */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort): RunSummary[] {
  const byId = (a: RunSummary, b: RunSummary): number => b.id - a.id;
  if (sort === 'newest') return [...runs].sort(byId);
  const rank = (r: RunSummary): number => (r.experimentId === null ? -1 : r.experimentId);
  return [...runs].sort((a, b) => rank(b) - rank(a) || byId(a, b));
}

/** Consecutive runs of one experiment as groups, in the given order (sort by experiment first to get one group per experiment). */
export function groupRuns(runs: readonly RunSummary[]): RunGroup[] {
  const groups: RunGroup[] = [];
  for (const r of runs) {
    const last = groups[groups.length - 1];
    if (last && last.experimentId === r.experimentId) last.runs.push(r);
    else
      groups.push({
        experimentId: r.experimentId,
        label: r.experimentId === null ? 'No experiment' : (r.experimentName ?? `experiment ${r.experimentId}`),
        runs: [r],
      });
  }
  return groups;
}
