// What the filter bar holds, and how it becomes a `datasets.examples` query.
import type { ChannelInput } from '../../../../shared/contract';
import type { ExampleSort, VersionRef } from '../../../../shared/types/datasets';
import type { Split } from '../../../../shared/types/dataset';
import type { AnnotationStatus } from '../../../../shared/types/annotations';
import { lab } from '../lab';

export interface ExampleFilters {
  search: string;
  split: '' | Split | 'none';
  teacher: '' | 'correct' | 'incorrect';
  hallucinated: '' | 'yes' | 'no';
  /** Human/machine annotation status, e.g. only verified-faithful rationales. */
  annotation: '' | AnnotationStatus;
  excluded: '' | 'yes' | 'no';
  tag: string;
  minLength: number | null;
  maxLength: number | null;
  sort: ExampleSort;
  desc: boolean;
}

export const NO_FILTERS: ExampleFilters = {
  search: '',
  split: '',
  teacher: '',
  hallucinated: '',
  annotation: '',
  excluded: '',
  tag: '',
  minLength: null,
  maxLength: null,
  sort: 'position',
  desc: false,
};

export type ExamplesQuery = ChannelInput<'datasets.examples'>;

function yesNo(v: '' | 'yes' | 'no'): boolean | undefined {
  return v === '' ? undefined : v === 'yes';
}

/** Empty filters are left out, so the lab applies no condition for them. */
export function toQuery(dataset: number, version: VersionRef, f: ExampleFilters): ExamplesQuery {
  const q: ExamplesQuery = { dataset, version, sort: f.sort, desc: f.desc };
  if (f.search.trim()) q.search = f.search.trim();
  if (f.split) q.split = f.split;
  if (f.teacher) q.teacherCorrect = f.teacher === 'correct';
  const h = yesNo(f.hallucinated);
  if (h !== undefined) q.hallucinated = h;
  if (f.annotation) q.annotationStatus = f.annotation;
  const x = yesNo(f.excluded);
  if (x !== undefined) q.excluded = x;
  if (f.tag) q.tag = f.tag;
  if (f.minLength !== null && Number.isFinite(f.minLength) && f.minLength >= 0) q.minLength = Math.floor(f.minLength);
  if (f.maxLength !== null && Number.isFinite(f.maxLength) && f.maxLength >= 0) q.maxLength = Math.floor(f.maxLength);
  return q;
}

export function activeFilterCount(f: ExampleFilters): number {
  return [f.split, f.teacher, f.hallucinated, f.annotation, f.excluded, f.tag, f.minLength ?? '', f.maxLength ?? ''].filter(
    (v) => v !== '',
  ).length;
}

/**
 * Ids of every row matching a query ("select all matching"). The lab has no ids-only query, so
 * this pages through the rows at the largest page size the channel allows.
 */
export async function allMatchingIds(
  query: ExamplesQuery,
  onProgress?: (done: number, total: number) => void,
): Promise<number[]> {
  const ids: number[] = [];
  const limit = 1000;
  for (let offset = 0; ; offset += limit) {
    const page = await lab.call('datasets.examples', { ...query, offset, limit });
    for (const r of page.rows) ids.push(r.id);
    onProgress?.(ids.length, page.total);
    if (page.rows.length < limit || ids.length >= page.total) return ids;
  }
}
