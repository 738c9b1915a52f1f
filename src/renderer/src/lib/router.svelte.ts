// Hash routing: #/datasets, #/runs/12 ... so reloads and the browser's back button work in serve
// mode and in Electron alike.
import type { Component } from 'svelte';
import Annotate from '../pages/Annotate.svelte';
import Compare from '../pages/Compare.svelte';
import Datasets from '../pages/Datasets.svelte';
import Experiments from '../pages/Experiments.svelte';
import Reports from '../pages/Reports.svelte';
import Runs from '../pages/Runs.svelte';
import SettingsPage from '../pages/Settings.svelte';

export interface PageDef {
  id: string;
  label: string;
  component: Component<{ params: string[] }>;
}

export const PAGES: readonly PageDef[] = [
  { id: 'datasets', label: 'Datasets', component: Datasets },
  { id: 'annotate', label: 'Annotate', component: Annotate },
  { id: 'experiments', label: 'Experiments', component: Experiments },
  { id: 'runs', label: 'Runs', component: Runs },
  { id: 'compare', label: 'Compare', component: Compare },
  { id: 'reports', label: 'Reports', component: Reports },
  { id: 'settings', label: 'Settings', component: SettingsPage },
];

function parse(hash: string): { page: PageDef; params: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const page = PAGES.find((p) => p.id === parts[0]) ?? PAGES[0]!;
  return { page, params: parts.slice(1) };
}

export const route = $state(parse(window.location.hash));

window.addEventListener('hashchange', () => Object.assign(route, parse(window.location.hash)));

/** A route parameter that is an id (digits only), else null. */
export function idParam(param: string | undefined): number | null {
  return param && /^\d+$/.test(param) ? Number(param) : null;
}

export function navigate(pageId: string, ...params: (string | number)[]): void {
  window.location.hash = '#/' + [pageId, ...params.map((p) => encodeURIComponent(String(p)))].join('/');
}
