// `pst-lab annotate ...` in-process: score on a generated arithmetic dataset with 30% injected
// errors, auto + export + import round trip, agreement as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/cli/main';
import type { AgreementReport, AnnotationExportReport, AnnotationImportReport, CheckerRunReport, ScoreSummary } from '../../../../src/shared/types/annotations';
import { tempDir } from '../../../helpers/tempLab';

let dataDir: string;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--data-dir', dataDir], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(async () => {
  dataDir = tempDir();
  const r = await cli('dataset', 'generate', '--task', 'arithmetic', '--n', '300', '--hallucination-rate', '0.3', '--seed', '7', '--name', 'arith', '--json');
  expect(r.code, r.err).toBe(0);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pst-lab annotate', () => {
  it('score --json reports the checkers precision and recall per error type against the injected errors', async () => {
    const r = await cli('annotate', 'score', 'arith', '--json');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as ScoreSummary;
    expect(s.rationales).toBe(300);
    // About 30% of rationales carry an injected error.
    expect(s.withInjected / s.rationales).toBeGreaterThan(0.2);
    expect(s.withInjected / s.rationales).toBeLessThan(0.4);
    const checkers = s.entries.find((e) => e.who === 'checkers')!;
    const arithmetic = checkers.report.span.perType.arithmetic;
    expect(arithmetic.tp + arithmetic.fn).toBeGreaterThan(0);
    expect(arithmetic.precision).not.toBeNull();
    expect(arithmetic.recall).not.toBeNull();
    // The checkers find real errors, well above chance.
    expect(checkers.report.rationale.anyType.recall!).toBeGreaterThan(0.5);
    expect(checkers.report.rationale.anyType.precision!).toBeGreaterThan(0.5);
    expect(s.entries.map((e) => e.who)).toEqual(['checkers', 'checker:arithmetic', 'checker:numbers_not_in_question', 'checker:answer_mismatch']);
    const text = await cli('annotate', 'score', 'arith');
    expect(text.out).toMatch(/checkers \(300 rationales\)/);
    expect(text.out).toMatch(/arithmetic\s+\d+\s+\d+\s+\d+/);
    // Printed for the report.
    const row = (p: { precision: number | null; recall: number | null; tp: number; fp: number; fn: number }) => ({ P: p.precision, R: p.recall, tp: p.tp, fp: p.fp, fn: p.fn });
    console.log(JSON.stringify({ withInjected: s.withInjected, span: Object.fromEntries(Object.entries(checkers.report.span.perType).map(([t, p]) => [t, row(p)])), rationaleAny: row(checkers.report.rationale.anyType) }));
  });

  it('auto, export, import (merge without duplicates) and agreement', async () => {
    const auto = JSON.parse((await cli('annotate', 'auto', 'arith', '--json')).out) as CheckerRunReport;
    expect(auto.rationales).toBe(300);
    const out = path.join(dataDir, 'out.jsonl');
    const exp = JSON.parse((await cli('annotate', 'export', 'arith', '--out', out, '--json')).out) as AnnotationExportReport;
    expect(exp.annotators).toEqual(['auto']);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(exp.lines);
    const imp = JSON.parse((await cli('annotate', 'import', 'arith', out, '--json')).out) as AnnotationImportReport;
    expect(imp).toMatchObject({ records: exp.lines, added: 0, updated: 0, unchanged: exp.lines });
    const agreement = JSON.parse((await cli('annotate', 'agreement', 'arith', '--json')).out) as AgreementReport;
    expect(agreement.annotators).toEqual([]);
    expect(agreement.verdictAlpha.alpha).toBeNull();
    const bad = await cli('annotate', 'import', 'arith', path.join(dataDir, 'missing.jsonl'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/cannot read/);
  });
});
