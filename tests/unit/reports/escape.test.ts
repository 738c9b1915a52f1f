import { describe, expect, it } from 'vitest';
import {
  csvField,
  escapeHtml,
  escapeLatex,
  escapeMarkdown,
  jsonForScript,
  markdownCodeBlock,
} from '../../../src/main/lab/reports/escape';

describe('escaping', () => {
  it('HTML: tags, attributes and quotes become entities', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;',
    );
  });

  it('JSON for a script element cannot close it', () => {
    const s = jsonForScript({ q: '</script><!-- x \u2028' });
    expect(s).not.toContain('<');
    expect(s).toContain('\\u2028');
    expect(JSON.parse(s)).toEqual({ q: '</script><!-- x \u2028' });
  });

  it('LaTeX: every special character of text mode', () => {
    expect(escapeLatex('a & b % c $ d # e _ f { g } h ~ i ^ j \\ k')).toBe(
      'a \\& b \\% c \\$ d \\# e \\_ f \\{ g \\} h \\textasciitilde{} i \\textasciicircum{} j \\textbackslash{} k',
    );
    expect(escapeLatex('pst (λ=0.5)\nx')).toBe('pst ($\\lambda$=0.5) x');
  });

  it('Markdown: HTML, emphasis, pipes and links are neutralised, plain numbers stay readable', () => {
    expect(escapeMarkdown('<script>x</script> a|b *c* _d_ [e](f)')).toBe(
      '&lt;script>x&lt;/script> a\\|b \\*c\\* \\_d\\_ [e\\](f)',
    );
    expect(escapeMarkdown('[70.0, 74.0] < 0.001 & more')).toBe('[70.0, 74.0] < 0.001 & more');
    expect(escapeMarkdown('line1\nline2')).toBe('line1 line2');
  });

  it('Markdown code fences outgrow backtick runs in the content', () => {
    expect(markdownCodeBlock('a ```` b', 'json')).toBe('`````json\na ```` b\n`````');
  });

  it('CSV: quotes fields with commas, quotes and newlines', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('CSV: text that a spreadsheet would evaluate gets an apostrophe, numbers do not', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(Number.NaN)).toBe('');
  });
});
