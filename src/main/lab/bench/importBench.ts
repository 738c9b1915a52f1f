// `pst-lab bench import`: writes a generated JSONL file of n examples and imports it into a
// throw-away lab, timing parsing and storing separately. Figures, not assertions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Lab } from '../lab';
import { iterateSynthetic } from '../synthetic';

export interface ImportBenchResult {
  n: number;
  fileBytes: number;
  parseMs: number;
  storeMs: number;
  totalMs: number;
  examplesPerSecond: number;
  parseExamplesPerSecond: number;
  storeExamplesPerSecond: number;
}

export async function benchImport(n: number): Promise<ImportBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-bench-import-'));
  try {
    const file = path.join(dir, 'bench.jsonl');
    const fd = fs.openSync(file, 'w');
    let buffer = '';
    for (const e of iterateSynthetic({ task: 'arithmetic', n, seed: 1, hallucinationRate: 0.3 })) {
      const c = e.completions[0]!;
      buffer += JSON.stringify({ id: e.externalId, question: e.question, answer: e.answer, rationale: c.rationale, teacher_answer: c.teacherAnswer }) + '\n';
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    }
    fs.writeSync(fd, buffer);
    fs.closeSync(fd);
    const lab = Lab.open({ dataDir: path.join(dir, 'lab'), runtime: 'cli' });
    try {
      const t0 = performance.now();
      const r = await lab.dispatch('datasets.import', { paths: [file], name: 'bench', format: 'jsonl' });
      const totalMs = performance.now() - t0;
      if (!r.ok) throw new Error(`benchmark import failed: ${r.error.message}`);
      const v = r.value as { parseMs: number; storeMs: number; examples: number };
      if (v.examples !== n) throw new Error(`benchmark imported ${v.examples} of ${n} examples`);
      const perSec = (ms: number): number => Math.round((n / ms) * 1000);
      return {
        n,
        fileBytes: fs.statSync(file).size,
        parseMs: v.parseMs,
        storeMs: v.storeMs,
        totalMs: Math.round(totalMs),
        examplesPerSecond: perSec(totalMs),
        parseExamplesPerSecond: perSec(v.parseMs),
        storeExamplesPerSecond: perSec(v.storeMs),
      };
    } finally {
      lab.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
