// The choices of a form's drop-down (components/forms/SelectField.svelte): the value each sets and
// the text it shows.

export interface Choice<T> {
  value: T;
  label: string;
  disabled?: boolean;
  title?: string;
}

/** One choice per value, shown by its label when `labels` has one, else as itself. */
export function choicesOf<T extends string | number>(
  values: readonly T[],
  labels?: Partial<Record<T, string>>,
): Choice<T>[] {
  return values.map((value) => ({ value, label: labels?.[value] ?? String(value) }));
}
