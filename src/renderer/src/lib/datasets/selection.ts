// Row selection rules of the examples table (pure, so they are easy to reason about): click selects
// one row, Ctrl/Cmd-click toggles one, Shift-click selects the range from the anchor.
export interface SelectionState {
  ids: ReadonlySet<number>;
  /** Index of the row the last plain or Ctrl click was on (the start of a Shift range). */
  anchor: number | null;
  /** "Select all matching": every row of the current query, whether loaded or not. */
  all: boolean;
}

export const EMPTY_SELECTION: SelectionState = { ids: new Set(), anchor: null, all: false };

export function clickSelect(s: SelectionState, index: number, id: number, mods: { toggle: boolean }): SelectionState {
  if (mods.toggle) {
    const ids = new Set(s.all ? [] : s.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index, all: false };
  }
  return { ids: new Set([id]), anchor: index, all: false };
}

/** Shift-click: the rows from the anchor to index (inclusive), added to what Ctrl kept. */
export function rangeSelect(s: SelectionState, rangeIds: readonly number[], keep: boolean): SelectionState {
  const ids = new Set(keep && !s.all ? s.ids : []);
  for (const id of rangeIds) ids.add(id);
  return { ids, anchor: s.anchor, all: false };
}

export function selectedCount(s: SelectionState, total: number): number {
  return s.all ? total : s.ids.size;
}
