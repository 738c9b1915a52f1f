// One hue per error type, used for span highlights and legends. Translucent so the text stays
// readable on the light and the dark theme alike.
import type { ErrorType } from '../../../../shared/types/annotations';

export const ERROR_TYPE_HUES: Record<ErrorType, number> = {
  arithmetic: 0,
  quantity_misread: 32,
  logical_leap: 280,
  factual_error: 330,
  unsupported_irrelevant: 200,
  answer_mismatch: 140,
  other: 60,
};

/** Background for a span of this type (stronger when selected). */
export function spanBackground(t: ErrorType, strong = false): string {
  return `hsl(${ERROR_TYPE_HUES[t]} 85% 55% / ${strong ? 0.45 : 0.25})`;
}

export function spanBorder(t: ErrorType): string {
  return `hsl(${ERROR_TYPE_HUES[t]} 75% 50%)`;
}
