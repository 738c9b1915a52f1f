// Which URLs are the app's own page (navigation and IPC sender checks); no Electron import, so
// it can be tested without the Electron binary.

/** True when `url` is our own renderer page (dev server or the packaged file). */
export function isOwnPage(url: string, rendererUrl: string): boolean {
  try {
    const u = new URL(url);
    const own = new URL(rendererUrl);
    if (own.protocol === 'file:') return u.protocol === 'file:' && u.pathname === own.pathname;
    // Custom schemes have an opaque origin in the URL parser: compare scheme and host.
    if (own.protocol === 'app:') return u.protocol === 'app:' && u.host === own.host;
    return u.origin === own.origin;
  } catch {
    return false;
  }
}
