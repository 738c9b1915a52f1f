// chart.js setup for the Runs page: registers only the pieces the line charts use (keeps the
// bundle small) and derives colours from the app's CSS variables so charts follow light/dark.
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

export { Chart };

export interface ChartColours {
  text: string;
  muted: string;
  grid: string;
  /** Series colours, readable on the current background. */
  series: {
    loss: string;
    answer: string;
    rationale: string;
    semantic: string;
    val: string;
    lr: string;
    accuracy: string;
  };
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'dark') return true;
  if (forced === 'light') return false;
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function chartColours(): ChartColours {
  const dark = isDark();
  return {
    text: cssVar('--text', dark ? '#e4e7ee' : '#1d2330'),
    muted: cssVar('--muted', dark ? '#9aa3b5' : '#5d6677'),
    grid: cssVar('--border', dark ? '#333a47' : '#d9dde5'),
    series: dark
      ? {
          loss: '#e4e7ee',
          answer: '#7aa2ff',
          rationale: '#ffb86b',
          semantic: '#c792ea',
          val: '#ff8a80',
          lr: '#9aa3b5',
          accuracy: '#7bd88f',
        }
      : {
          loss: '#1d2330',
          answer: '#2f5fd0',
          rationale: '#c26a00',
          semantic: '#8e44ad',
          val: '#b3261e',
          lr: '#7d8596',
          accuracy: '#1e7a3c',
        },
  };
}

/**
 * Calls `apply` whenever the effective theme may have changed (Settings sets html[data-theme];
 * "system" follows the OS). Returns the unsubscribe function.
 */
export function onThemeChange(apply: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const observer = new MutationObserver(apply);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  media.addEventListener('change', apply);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', apply);
  };
}
