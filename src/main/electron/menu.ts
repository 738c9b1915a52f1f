import { Menu, type MenuItemConstructorOptions } from 'electron';
import { openExternalSafely } from './security';

/** The usual application menu, built from Electron's standard roles. */
export function installMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'PST paper (arXiv 2404.09170)', click: () => openExternalSafely('https://arxiv.org/abs/2404.09170') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
