// The Markdown and LaTeX tables print exactly the fixture's numbers (fixtures.ts lists them).
import { describe, expect, it } from 'vitest';
import { latexTable, renderLatex, renderMarkdown } from '../../../src/main/lab/reports';
import { aggregate } from '../../../src/main/lab/experiments/results';
import { runsTable } from '../../../src/main/lab/reports/tables';
import { defaultMethodConfig, type PstConfig } from '../../../src/main/lab/training/methods';
import { robustnessFixture, runIdOf } from './fixtures';

function tableLines(md: string, header: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start, end);
}

describe('Markdown report', () => {
  const md = renderMarkdown([robustnessFixture()]);

  it('groups table: mean ± std, the seed-level interval (not enough seeds with 2), baselines, no answer, costs', () => {
    const nc = 'not enough seeds (n=2)';
    expect(tableLines(md, '| Method | Halluc. rate |')).toEqual([
      '| Method | Halluc. rate | n (seeds) | Accuracy % (mean ± std) | 95% CI (t, seeds) | Majority % | Chance % | No answer % | Tokens to answer | ms to answer | Runs |',
      '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |',
      `| pre-thinking | 0 | 2 | 72.0 ± 2.8 | ${nc} | 62.0 | 50.0 | 10.0 ± 2.8 | 42.0 ± 1.4 | 120.0 ± 2.8 | #1 #2 |`,
      `| pre-thinking | 0.3 | 2 | 51.0 ± 1.4 | ${nc} | 62.0 | 50.0 | 10.0 ± 2.8 | 42.0 ± 1.4 | 120.0 ± 2.8 | #3 #4 |`,
      `| pre-thinking | 0.6 | 2 | 33.0 ± 2.8 | ${nc} | 62.0 | 50.0 | 10.0 ± 2.8 | 42.0 ± 1.4 | 120.0 ± 2.8 | #5 #6 |`,
      `| post-thinking | 0 | 2 | 83.0 ± 1.4 | ${nc} | 62.0 | 50.0 | 0.0 ± 0.0 | 2.0 ± 0.0 | 8.0 ± 0.7 | #7 #8 |`,
      `| post-thinking | 0.3 | 2 | 68.0 ± 2.8 | ${nc} | 62.0 | 50.0 | 0.0 ± 0.0 | 2.0 ± 0.0 | 8.0 ± 0.7 | #9 #10 |`,
      `| post-thinking | 0.6 | 2 | 56.0 ± 1.4 | ${nc} | 62.0 | 50.0 | 0.0 ± 0.0 | 2.0 ± 0.0 | 8.0 ± 0.7 | #11 #12 |`,
      `| pst | 0 | 2 | 82.0 ± 2.8 | ${nc} | 62.0 | 50.0 | 2.0 ± 1.4 | 2.5 ± 0.7 | 8.5 ± 0.7 | #13 #14 |`,
      `| pst | 0.3 | 2 | 76.0 ± 1.4 | ${nc} | 62.0 | 50.0 | 2.0 ± 1.4 | 2.5 ± 0.7 | 8.5 ± 0.7 | #15 #16 |`,
      `| pst | 0.6 | 2 | 71.0 ± 2.8 | ${nc} | 62.0 | 50.0 | 2.0 ± 1.4 | 2.5 ± 0.7 | 8.5 ± 0.7 | #17 #18 |`,
    ]);
    expect(md).toContain(
      '95% CI: Student t-interval over the per-seed accuracies (the seed is the unit; n = 2 seeds per group; "not enough seeds" below 3 seeds)',
    );
  });

  it('groups table: the answer target is part of the method label when the experiment varies it', () => {
    const exp = robustnessFixture();
    exp.groups = exp.groups.map((g, i) => ({ ...g, factors: { ...g.factors, answerTarget: i % 2 ? 'teacher' : 'gold' } }));
    const rows = tableLines(renderMarkdown([exp]), '| Method | Halluc. rate |').slice(2);
    expect(rows[0]).toMatch(/^\| pre-thinking \(gold target\) \| 0 \|/);
    expect(rows.some((r) => r.startsWith('| pre-thinking (teacher target) | 0.3 |'))).toBe(true);
    // gold rows first, then teacher rows, each in method order
    const labels = rows.map((r) => r.split('|')[1]!.trim());
    expect(labels.findIndex((l) => l.includes('teacher'))).toBe(labels.filter((l) => l.includes('gold')).length);
  });

  it('groups table: a t-interval with 3 seeds, and chance n/a for open answers', () => {
    const exp = robustnessFixture();
    const g = exp.groups.find((x) => x.key === 'pst|rate=0')!;
    // 0.80 0.84 0.82: mean 0.82, s = 0.02, se = 0.011547, t_{0.975,2} = 4.302653: ± 0.049683.
    g.accuracy = aggregate([0.8, 0.84, 0.82]);
    g.baselines = { ...g.baselines!, answerTypes: ['number'], chance: null };
    const row = renderMarkdown([exp])
      .split('\n')
      .find((l) => l.startsWith('| pst | 0 |'))!;
    expect(row).toBe(
      '| pst | 0 | 3 | 82.0 ± 2.0 | [77.0, 87.0] | 62.0 | n/a | 2.0 ± 1.4 | 2.5 ± 0.7 | 8.5 ± 0.7 | #13 #14 |',
    );
    expect(renderMarkdown([exp])).toContain('n = 2–3 seeds per group');
  });

  it('paired comparisons over seeds: per-seed differences, paired t, exact sign-flip p with its floor', () => {
    expect(tableLines(md, '| A | B | Seeds (n) |')).toEqual([
      '| A | B | Seeds (n) | Δ acc. per seed (pp) | Mean Δ (pp) | 95% CI (t, seeds) | t (df) | p (paired t) | p (sign-flip, exact) |',
      '| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      // Equal differences: t undefined. Sign flips of (+38, +38): sums 76, 0, 0, -76, so p = 2/4.
      '| pst @ 0.6 | pre-thinking @ 0.6 | 1, 2 (2) | +38.0, +38.0 | +38.0 | not computable | — | all 2 per-seed differences are equal, so the t statistic is undefined | 0.500 (min 0.500) |',
      // d = (2, 0) pp: s = 1.414, se = 1, t = 1 with df 1, p = 2 (1/2 - atan(1)/π) = 0.5;
      // CI 1 ± 12.706 · 1 pp. Sign flips of (2, 0): |sum| is 2 for all 4 patterns, p = 1.
      '| post-thinking @ 0 | pst @ 0 | 1, 2 (2) | +2.0, 0.0 | +1.0 | [−11.7, +13.7] | 1.00 (1) | 0.500 | 1.000 (min 0.500) |',
    ]);
    expect(md).toContain('smallest possible two-sided p is 2/2^n (2 seeds: 2/4 = 0.5000)');
  });

  it('paired comparisons conditional on the trained models: bootstrap CI and p, McNemar', () => {
    expect(md).toContain('### Paired comparisons conditional on the trained models (examples as unit)');
    expect(tableLines(md, '| A | B | Δ acc. (pp) |').slice(2)).toEqual([
      '| pst @ 0.6 | pre-thinking @ 0.6 | +38.0 | [+33.0, +43.0] | < 0.001 | 3 / 41 | < 0.001 | 1, 2 | 100 |',
      '| post-thinking @ 0 | pst @ 0 | +1.0 | [−2.0, +4.0] | 0.457 | 9 / 11 | 0.824 | 1, 2 | 100 |',
    ]);
  });

  it('reproducibility summary: versions, dataset hashes, every run, environment and spec', () => {
    expect(md).toContain('- PST Lab 0.6.0, commit abc1234');
    expect(md).toContain(
      '| 11 | arith-chain (rate 0.3) | 1 | 0123456789abcdef0123456789abcdef0123456789abcdef1111111111111111 |',
    );
    const pst = defaultMethodConfig('pst') as PstConfig;
    expect(md).toContain(`| #18 | pst | 2 | 0.6 | ${pst.lambda} | ${pst.encoder} | ${pst.loss} | wasm | 2025-05-01T10:18:00.000Z | 42.5 s |`);
    expect(md).toContain('"tfjs": "4.22.0"');
    expect(md).toContain('"task": "arith-chain"');
    expect(md).toContain('12 min 45 s of run time in total');
  });

  it('omits the comparisons section when there are none', () => {
    const exp = robustnessFixture();
    delete exp.comparisons;
    expect(renderMarkdown([exp])).not.toContain('### Paired comparisons');
    expect(renderMarkdown([exp])).not.toContain('| A | B |');
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
      '\\emph{Majority class} & 62.0 & 62.0 & 62.0 \\\\',
      '\\emph{Chance} & 50.0 & 50.0 & 50.0 \\\\',
      '\\multicolumn{4}{l}{\\emph{No answer (\\%)}} \\\\',
      'pre-thinking & 10.0 & 10.0 & 10.0 \\\\',
      'post-thinking & 0.0 & 0.0 & 0.0 \\\\',
      'pst & 2.0 & 2.0 & 2.0 \\\\',
    ]);
    expect(tex).toContain('\\begin{tabular}{lccc}');
    for (const rule of ['\\toprule', '\\cmidrule(lr){2-4}', '\\midrule', '\\bottomrule']) expect(tex).toContain(rule);
    expect(tex).toContain('\\label{tab:robustness-to-teacher-hallucinations}');
    expect(tex).toContain(
      '\\caption{Test accuracy (\\%) on Robustness to teacher hallucinations by injected hallucination rate: ' +
        'mean $\\pm$ sample standard deviation over seeds (the unit of replication; n = 2 seeds per group;',
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

describe('runs table', () => {
  it('shows the λ, encoder and loss a PST run used: as recorded, else its options resolved through the defaults', () => {
    const exp = robustnessFixture();
    const recorded = exp.reproducibility.runs.find((r) => r.id === runIdOf('pst', 0, 1))!;
    recorded.resolved = {
      ...(recorded.resolved as Record<string, unknown>),
      method: { method: 'pst', lambda: 0.5, encoder: 'hashed-tfidf', loss: 'mse' },
    };
    const options = (id: number): string[] => {
      const table = runsTable(exp);
      const row = table.rows.find((r) => r[0] === `#${id}`)!;
      return ['λ', 'Encoder', 'Loss'].map((t) => row[table.columns.findIndex((c) => c.title === t)]!);
    };
    expect(options(recorded.id)).toEqual(['0.5', 'hashed-tfidf', 'mse']);
    // Not recorded (e.g. queued) and no options given: the method's defaults, never blanks.
    const d = defaultMethodConfig('pst') as PstConfig;
    expect(options(runIdOf('pst', 1, 2))).toEqual([String(d.lambda), d.encoder, d.loss]);
    // A run's own options win over the defaults.
    const own = exp.reproducibility.runs.find((r) => r.id === runIdOf('pst', 2, 1))!;
    own.spec = { ...(own.spec as Record<string, unknown>), methodOptions: { lambda: 0.25, loss: 'cosine' } };
    expect(options(own.id)).toEqual(['0.25', d.encoder, 'cosine']);
    expect(options(runIdOf('pre-thinking', 0, 1))).toEqual(['', '', '']);
  });
});
