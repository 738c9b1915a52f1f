// Picking a dataset version to train on: only committed versions can be trained on (a draft can
// still change), newest first so the default is the latest commit.
import type { VersionSummary } from '../../../../shared/types/datasets';

/** The committed versions, newest first. */
export function committedNewestFirst(versions: readonly VersionSummary[]): VersionSummary[] {
  return versions.filter((v) => v.number !== null).sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
}

/** The hint under a version picker: the chosen version's split sizes, else `noVersion` once a dataset is chosen. */
export function versionHint(version: VersionSummary | null, datasetChosen: boolean, noVersion: string): string {
  if (version) {
    const s = version.stats.splits;
    return `train ${s.train} / val ${s.val} / test ${s.test}`;
  }
  return datasetChosen ? noVersion : '';
}
