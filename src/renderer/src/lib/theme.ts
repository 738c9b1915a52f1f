// Follows the OS light/dark theme unless the user picked one in Settings.
import type { ThemePreference } from '../../../shared/types/app';

export function applyTheme(pref: ThemePreference): void {
  if (pref === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = pref;
}
