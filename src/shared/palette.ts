// The one series palette of PST Lab: the app's charts (Compare) and the HTML/PDF reports colour
// methods and conditions with it, so a method has the same colour on screen and on paper.
// Okabe-Ito based: distinguishable with the common colour-vision deficiencies, readable on the light
// and the dark panel.
export const SERIES_LIGHT = [
  '#2f5fd0',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#8a6d00',
  '#56b4e9',
  '#6a3d9a',
  '#7d8596',
] as const;
export const SERIES_DARK = [
  '#7aa2ff',
  '#ff9e57',
  '#4fd1a5',
  '#f09cc9',
  '#f0d55a',
  '#8fd3ff',
  '#c4a3ff',
  '#b8c0cf',
] as const;

export function seriesColour(index: number, dark: boolean): string {
  const p = dark ? SERIES_DARK : SERIES_LIGHT;
  return p[((index % p.length) + p.length) % p.length]!;
}

/** `#rrggbb` with an alpha (bands and bar fills). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
