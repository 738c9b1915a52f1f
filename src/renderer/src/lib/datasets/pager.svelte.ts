// Rows of a filtered example list, fetched in pages as the table scrolls. Only pages near what is
// on screen are kept, so a 100,000-row version costs a few hundred rows of memory, and answers to
// an older query (the user typed on) are dropped instead of overwriting newer ones.
/* eslint-disable svelte/prefer-svelte-reactivity -- the page map is immutable, swapped whole in a $state.raw, and
   the in-flight set is bookkeeping no view reads: SvelteMap/SvelteSet would add tracking for nothing. */
import type { ExamplePage, ExampleRow } from '../../../../shared/types/datasets';

export const PAGE_SIZE = 200;
/** Pages kept in memory; the rest are fetched again if the user scrolls back. */
const MAX_PAGES = 40;

export type PageFetcher = (offset: number, limit: number) => Promise<ExamplePage>;

export class ExamplePager {
  total = $state(0);
  /** Set once the first page of the current query has answered. */
  loaded = $state(false);
  error = $state<string | null>(null);
  // Raw: rows are replaced wholesale, never mutated, so deep reactivity would only cost time.
  private pages = $state.raw<ReadonlyMap<number, ExampleRow[]>>(new Map());
  private inFlight = new Set<number>();
  private generation = 0;
  private fetcher: PageFetcher | null = null;

  /** Starts over with a new query (filters, sort, version changed). */
  reset(fetcher: PageFetcher): void {
    this.generation++;
    this.fetcher = fetcher;
    this.inFlight.clear();
    this.pages = new Map();
    this.loaded = false;
    this.error = null;
    void this.load(0);
  }

  /** Re-reads the pages on screen without clearing them (after an edit), so nothing flickers. */
  refresh(): void {
    const keep = [...this.pages.keys()];
    this.generation++;
    this.inFlight.clear();
    for (const p of keep.length ? keep : [0]) void this.load(p, true);
  }

  row(index: number): ExampleRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Makes sure rows [from, to) are loaded or loading. */
  ensure(from: number, to: number): void {
    const last = Math.min(to, this.total) - 1;
    for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
      if (!this.pages.has(p)) void this.load(p);
    }
  }

  /** Loads rows [from, to) and returns them (used for shift-click ranges across pages). */
  async rows(from: number, to: number): Promise<ExampleRow[]> {
    const out: ExampleRow[] = [];
    for (let p = Math.floor(from / PAGE_SIZE); p * PAGE_SIZE < to; p++) {
      const rows = this.pages.get(p) ?? (await this.load(p));
      rows?.forEach((r, i) => {
        const idx = p * PAGE_SIZE + i;
        if (idx >= from && idx < to) out.push(r);
      });
    }
    return out;
  }

  private async load(page: number, force = false): Promise<ExampleRow[] | undefined> {
    if (!this.fetcher || (this.inFlight.has(page) && !force)) return undefined;
    const gen = this.generation;
    this.inFlight.add(page);
    try {
      const res = await this.fetcher(page * PAGE_SIZE, PAGE_SIZE);
      if (gen !== this.generation) return undefined;
      this.total = res.total;
      const next = new Map(this.pages);
      next.set(page, res.rows);
      // Forget the pages farthest from this one.
      while (next.size > MAX_PAGES) {
        const far = [...next.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page))[0]!;
        next.delete(far);
      }
      this.pages = next;
      this.loaded = true;
      this.error = null;
      return res.rows;
    } catch (e) {
      if (gen === this.generation) this.error = (e as Error).message;
      return undefined;
    } finally {
      if (gen === this.generation) this.inFlight.delete(page);
    }
  }
}
