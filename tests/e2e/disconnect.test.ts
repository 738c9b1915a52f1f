// Serve mode notices a dead backend: the page is open and connected (no banner), `pst-lab serve`
// is stopped, and a "Disconnected" banner appears at the top of every page. Screenshot at 1280x800.
import { describe, expect, it } from 'vitest';
import { chromiumOrWarn } from '../helpers/e2e/browser';
import { useServedApp } from '../helpers/e2e/servedApp';

const chromiumPath = chromiumOrWarn();

describe.skipIf(chromiumPath === null)('disconnected banner in Chromium (serve mode)', () => {
  const app = useServedApp({ chromiumPath: chromiumPath!, screenshotPrefix: 'disconnect', fullPageScreenshots: false });

  it('shows a banner once the server stops answering', async () => {
    const { page } = await app.openApp('#/datasets');
    await page.setViewportSize({ width: 1280, height: 800 });
    const banner = page.getByTestId('disconnected');
    expect(await banner.count()).toBe(0);
    await app.serve.stop();
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('Disconnected from the lab');
    expect(await banner.getAttribute('role')).toBe('alert');
    await app.shoot(page, 'banner');
    await page.close();
  });
});
