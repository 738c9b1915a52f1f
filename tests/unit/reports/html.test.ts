// Structure of the HTML report, checked on the text: self-contained, CSP hashes match the inline
// scripts, user text escaped. The browser test checks the same file actually renders.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/main/lab/reports';
import { findPackageRoot } from '../../../src/main/lab/paths';
import { IMG_PAYLOAD, predictionsFixture, robustnessFixture, SCRIPT_PAYLOAD } from './fixtures';

const hostile = robustnessFixture({ hostile: true });
const html = renderHtml([hostile, robustnessFixture({ id: 8 })], {
  predictions: predictionsFixture(hostile, { hostile: true }),
  now: new Date('2025-05-02T00:00:00Z'),
});

/** The page with script bodies removed (chart.js's own strings are not markup). */
const markup = html.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2');

function inlineScripts(page: string): { attrs: string; body: string }[] {
  return [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
}

describe('HTML report', () => {
  it('is self-contained: no external URLs in src/href, chart.js inline', () => {
    expect(markup).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(markup).not.toMatch(/<link\b/i);
    expect(markup).not.toMatch(/@import|url\(/i);
    const chartJs = fs.readFileSync(path.join(findPackageRoot(), 'node_modules/chart.js/dist/chart.umd.js'), 'utf8');
    expect(inlineScripts(html).some((s) => s.body === chartJs)).toBe(true);
  });

  it('has a strict CSP whose hashes are exactly the executable inline scripts', () => {
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
    expect(meta).not.toBeNull();
    const csp = meta![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    const hashes = [...csp.matchAll(/'sha256-([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]);
    const executable = inlineScripts(html).filter((s) => !/type="application\/json"/.test(s.attrs));
    expect(executable).toHaveLength(2);
    expect(hashes).toEqual(executable.map((s) => createHash('sha256').update(s.body, 'utf8').digest('base64')));
    // The CSP comes before any script, or it would not cover them.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('escapes every piece of user text; the data island has no "<"', () => {
    expect(html).not.toContain(SCRIPT_PAYLOAD);
    expect(html).not.toContain(IMG_PAYLOAD);
    expect(markup).not.toMatch(/<img\b/i);
    // No element carries an inline event handler (the escaped payload's "onerror=" is text).
    expect(markup).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).toContain('&#60;script&#62;window.__pwned=1&#60;/script&#62;');
    const data = inlineScripts(html).find((s) => s.attrs.includes('application/json'))!;
    expect(data.body).not.toContain('<');
    const parsed = JSON.parse(data.body) as { experiments: { name: string }[] };
    expect(parsed.experiments[0]!.name).toContain(SCRIPT_PAYLOAD);
    // Only our three script elements exist.
    expect(html.match(/<script\b/g)).toHaveLength(3);
  });

  it('shows figures, tables and the reproducibility bundle for each experiment', () => {
    for (const id of ['exp-7', 'exp-8']) {
      for (const c of ['accuracy', 'robustness', 'curves-0', 'curves-2', 'tokens', 'ms', 'no-answer', 'scatter'])
        expect(html).toContain(`id="${id}-${c}"`);
    }
    expect(html).toContain('<td class="num best">83.0\u00a0±\u00a01.4</td>');
    expect(html).toContain('<td class="num">82.0\u00a0±\u00a02.8</td>');
    expect(html).toContain('< 0.001'.replace('<', '&#60;'));
    expect(html).toContain('0123456789abcdef0123456789abcdef0123456789abcdef2222222222222222');
    expect(html).toContain('&#34;tfjs&#34;: &#34;4.22.0&#34;');
    expect(html).toContain('Full config of every run (18)');
    expect(html).toContain('Examples that flip between methods');
    expect(html).toContain('Figure 14.');
    expect(html).not.toContain('Figure 15.');
    // Captions say what the error bars are (the PDF prints no switch), with the unit and n.
    expect(html).toContain(
      'mean over seeds; error bars: <span data-error-text="exp-7">± 1 sample std over seeds (n = 2 seeds per group; a spread, not a confidence interval)</span>',
    );
    expect(html).not.toContain('see the switch');
    expect(html).toContain(
      'Dashed mark over each bar: majority-class baseline of its test examples (62.0%); dotted mark: chance (50.0%). No answer: 0.0–10.0% of test outputs',
    );
    // Raw JSON only in the appendix, after every figure and table of both experiments.
    const appendix = html.indexOf('<h2>Appendix: configuration and environment (JSON)</h2>');
    expect(appendix).toBeGreaterThan(html.lastIndexOf('<figure'));
    expect(appendix).toBeGreaterThan(html.lastIndexOf('<table'));
    expect(html.indexOf('&#34;tfjs&#34;')).toBeGreaterThan(appendix);
    expect(html.indexOf('Experiment spec')).toBeGreaterThan(appendix);
    expect(html).toContain('<a href="#appendix-exp-8">the appendix</a>');
    expect(html).toContain('<h3>Paired comparisons over seeds</h3>');
    expect(html).toContain('<h3>Paired comparisons conditional on the trained models (examples as unit)</h3>');
    expect(html).toContain('<td class="num">not enough seeds (n=2)</td>');
    expect(html).toContain('<th class="num" scope="col">Majority %</th>');
    const ci = renderHtml([robustnessFixture()], { errorMode: 'ci', packageRoot: findPackageRoot() });
    expect(ci).toContain(
      '<span data-error-text="exp-7">no interval: not enough seeds for a 95% t-interval (n = 2 seeds per group; it needs at least 3)</span>',
    );
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/@media print/);
  });
});
