import { describe, expect, it } from 'vitest';
import { experimentsOf, filterRuns, groupRuns, sortRuns } from '../../../src/renderer/src/lib/runs/grouping';
import type { RunSummary } from '../../../src/shared/types/runs';

function run(id: number, experimentId: number | null): RunSummary {
  return {
    id,
    name: `r${id}`,
    datasetId: 1,
    datasetName: 'd',
    version: 1,
    method: 'pst',
    preset: 'tiny',
    seed: 1,
    status: 'completed',
    error: null,
    backend: 'wasm',
    backendReason: null,
    step: 1,
    steps: 1,
    lastLoss: null,
    bestValAccuracy: null,
    testAccuracy: null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    experimentId,
    experimentName: experimentId === null ? null : `exp ${experimentId}`,
  };
}

const runs = [run(1, 1), run(2, null), run(3, 2), run(4, 1), run(5, null), run(6, 2)];
const ids = (rs: RunSummary[]): number[] => rs.map((r) => r.id);

describe('runs list grouping', () => {
  it('filters by experiment, by none, or not at all', () => {
    expect(ids(filterRuns(runs, 1))).toEqual([1, 4]);
    expect(ids(filterRuns(runs, 'none'))).toEqual([2, 5]);
    expect(ids(filterRuns(runs, 'all'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sorts newest first, or by experiment (newest experiment first, lone runs last)', () => {
    expect(ids(sortRuns(runs, 'newest'))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(ids(sortRuns(runs, 'experiment'))).toEqual([6, 3, 4, 1, 5, 2]);
  });

  it('groups consecutive runs of one experiment under its name', () => {
    const groups = groupRuns(sortRuns(runs, 'experiment'));
    expect(groups.map((g) => [g.label, ids(g.runs)])).toEqual([
      ['exp 2', [6, 3]],
      ['exp 1', [4, 1]],
      ['No experiment', [5, 2]],
    ]);
    expect(experimentsOf(runs)).toEqual([
      { id: 2, name: 'exp 2' },
      { id: 1, name: 'exp 1' },
    ]);
  });
});
