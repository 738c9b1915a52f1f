// The Markdown and LaTeX tables print exactly the fixture's numbers (fixtures.ts lists them).
import { describe, expect, it } from 'vitest';
import { latexTable, renderLatex, renderMarkdown } from '../../../src/main/lab/reports';
import { robustnessFixture } from './fixtures';

function tableLines(md: string, header: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start, end);
}

describe('Markdown report', () => {
  const md = renderMarkdown([robustnessFixture()]);

  it('groups table: mean ± std and CI in percent, costs, runs', () => {
    expect(tableLines(md, '| Method | Halluc. rate |')).toEqual([
      '| Method | Halluc. rate | n | Accuracy % (mean ± std) | 95% CI | Tokens to answer | ms to answer | Runs |',
      '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | :--- |',
      '| pre-thinking | 0 | 2 | 72.0 ± 2.8 | [70.0, 74.0] | 42.0 ± 1.4 | 120.0 ± 2.8 | #1 #2 |',
      '| pre-thinking | 0.3 | 2 | 51.0 ± 1.4 | [50.0, 52.0] | 42.0 ± 1.4 | 120.0 ± 2.8 | #3 #4 |',
      '| pre-thinking | 0.6 | 2 | 33.0 ± 2.8 | [31.0, 35.0] | 42.0 ± 1.4 | 120.0 ± 2.8 | #5 #6 |',
      '| post-thinking | 0 | 2 | 83.0 ± 1.4 | [82.0, 84.0] | 2.0 ± 0.0 | 8.0 ± 0.7 | #7 #8 |',
      '| post-thinking | 0.3 | 2 | 68.0 ± 2.8 | [66.0, 70.0] | 2.0 ± 0.0 | 8.0 ± 0.7 | #9 #10 |',
      '| post-thinking | 0.6 | 2 | 56.0 ± 1.4 | [55.0, 57.0] | 2.0 ± 0.0 | 8.0 ± 0.7 | #11 #12 |',
      '| pst | 0 | 2 | 82.0 ± 2.8 | [80.0, 84.0] | 2.5 ± 0.7 | 8.5 ± 0.7 | #13 #14 |',
      '| pst | 0.3 | 2 | 76.0 ± 1.4 | [75.0, 77.0] | 2.5 ± 0.7 | 8.5 ± 0.7 | #15 #16 |',
      '| pst | 0.6 | 2 | 71.0 ± 2.8 | [69.0, 73.0] | 2.5 ± 0.7 | 8.5 ± 0.7 | #17 #18 |',
    ]);
  });

  it('paired comparisons: signed difference, CI, both p-values', () => {
    expect(tableLines(md, '| A | B |').slice(2)).toEqual([
      '| pst @ 0.6 | pre-thinking @ 0.6 | +38.0 | [+33.0, +43.0] | < 0.001 | 3 / 41 | < 0.001 | 1, 2 | 100 |',
      '| post-thinking @ 0 | pst @ 0 | +1.0 | [−2.0, +4.0] | 0.457 | 9 / 11 | 0.824 | 1, 2 | 100 |',
    ]);
  });

  it('reproducibility summary: versions, dataset hashes, every run, environment and spec', () => {
    expect(md).toContain('- PST Lab 0.6.0, commit abc1234');
    expect(md).toContain(
      '| 11 | arith-chain (rate 0.3) | 1 | 0123456789abcdef0123456789abcdef0123456789abcdef1111111111111111 |',
    );
    expect(md).toContain('| #18 | pst | 2 | 0.6 |  |  |  | wasm | 2025-05-01T10:18:00.000Z | 42.5 s |');
    expect(md).toContain('"tfjs": "4.22.0"');
    expect(md).toContain('"task": "arith-chain"');
    expect(md).toContain('12 min 45 s of run time in total');
  });

  it('omits the comparisons section when there are none', () => {
    const exp = robustnessFixture();
    delete exp.comparisons;
    expect(renderMarkdown([exp])).not.toContain('### Paired comparisons');
  });
});

describe('LaTeX table', () => {
  it('methods x hallucination rates, mean $\\pm$ std in percent, best per column bold', () => {
    const tex = latexTable(robustnessFixture());
    const body = tex.split('\n').filter((l) => l.endsWith('\\\\'));
    expect(body).toEqual([
      '& \\multicolumn{3}{c}{Hallucination rate} \\\\',
      'Method & $0$ & $0.3$ & $0.6$ \\\\',
      'pre-thinking & 72.0 $\\pm$ 2.8 & 51.0 $\\pm$ 1.4 & 33.0 $\\pm$ 2.8 \\\\',
      'post-thinking & \\textbf{83.0} $\\pm$ 1.4 & 68.0 $\\pm$ 2.8 & 56.0 $\\pm$ 1.4 \\\\',
      'pst & 82.0 $\\pm$ 2.8 & \\textbf{76.0} $\\pm$ 1.4 & \\textbf{71.0} $\\pm$ 2.8 \\\\',
    ]);
    expect(tex).toContain('\\begin{tabular}{lccc}');
    for (const rule of ['\\toprule', '\\cmidrule(lr){2-4}', '\\midrule', '\\bottomrule']) expect(tex).toContain(rule);
    expect(tex).toContain('\\label{tab:robustness-to-teacher-hallucinations}');
    expect(tex).toMatch(
      /\\caption\{Test accuracy \(\\%, mean \$\\pm\$ std over 2 seeds\) on Robustness to teacher hallucinations/,
    );
  });

  it('precision, caption and label options; ties at the printed precision are all bold', () => {
    const tex = latexTable(robustnessFixture(), { precision: 0, caption: 'Acc. & 50% of <x>', label: 'tab:my table' });
    // At 0 decimals post-thinking 83 vs pst 82 stays distinct; 68 vs 76 etc.
    expect(tex).toContain('post-thinking & \\textbf{83} $\\pm$ 1 & 68 $\\pm$ 3 & 56 $\\pm$ 1 \\\\');
    expect(tex).toContain('\\caption{Acc. \\& 50\\% of \\textless{}x\\textgreater{}}');
    expect(tex).toContain('\\label{tab:my-table}');
    const exp = robustnessFixture();
    const pst0 = exp.groups.find((g) => g.key === 'pst|rate=0')!;
    pst0.accuracy = { ...pst0.accuracy!, mean: 0.8302 }; // prints as 83.0 like post-thinking
    const tied = latexTable(exp);
    expect(tied).toContain('post-thinking & \\textbf{83.0} $\\pm$ 1.4');
    expect(tied).toContain('pst & \\textbf{83.0} $\\pm$ 2.8');
    expect(() => latexTable(exp, { precision: 1.5 })).toThrow(/latex.precision/);
  });

  it('escapes user text in method rows and the generated caption', () => {
    const exp = robustnessFixture();
    exp.experiment.name = 'a_b & 100% #1';
    const tex = renderLatex([exp]);
    expect(tex).toContain('on a\\_b \\& 100\\% \\#1');
    expect(tex).toContain('\\label{tab:a-b-100-1}');
  });

  it('a single condition gives one Accuracy column; a missing cell prints --', () => {
    const exp = robustnessFixture();
    exp.groups = exp.groups.filter((g) => g.factors.hallucinationRate === 0 && g.key !== 'pst|rate=0');
    const single = latexTable(exp);
    expect(single).toContain('Method & Accuracy \\\\');
    expect(single).toContain('post-thinking & \\textbf{83.0} $\\pm$ 1.4 \\\\');
    const gap = robustnessFixture();
    gap.groups = gap.groups.filter((g) => g.key !== 'pst|rate=0.3');
    expect(latexTable(gap)).toContain('pst & 82.0 $\\pm$ 2.8 & -- & \\textbf{71.0} $\\pm$ 2.8 \\\\');
  });
});
