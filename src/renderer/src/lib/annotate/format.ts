// Number formatting for the agreement and score tables: undefined statistics show as "–", never NaN.

export function stat(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}

/** Landis & Koch's reading of a kappa/alpha value (a rough guide, shown as a tooltip). */
export function agreementWord(x: number | null): string {
  if (x === null) return 'undefined (too few paired labels, or only one label used)';
  if (x < 0) return 'worse than chance';
  if (x < 0.2) return 'slight';
  if (x < 0.4) return 'fair';
  if (x < 0.6) return 'moderate';
  if (x < 0.8) return 'substantial';
  return 'almost perfect';
}
