import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { resolveMethodConfig, type PstConfig } from '../../../src/main/lab/training/methods';
import {
  centredShare,
  centreNormalise,
  fitTargets,
  meanOffDiagonalCosine,
  norm,
  retrieval,
  type SemanticEncoder,
} from '../../../src/main/lab/training/semantic';
import { benchSplits } from '../../../src/main/lab/training/semantic/bench';
import {
  defaultTrainConfig,
  train,
  type StartInfo,
  type ValidationMetrics,
} from '../../../src/main/lab/training/trainer';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

/** An encoder returning fixed rows by rationale text. */
function tableEncoder(rows: Record<string, number[]>): SemanticEncoder {
  return {
    name: 'table',
    config: {},
    dim: Object.values(rows)[0]!.length,
    encode: (rs) => Promise.resolve(rs.map((r) => Float32Array.from(rows[r]!))),
    dispose: () => undefined,
  };
}

describe('centring and normalisation', () => {
  it('subtracts the training mean and L2-normalises; validation uses the training mean; missing rationales stay null', async () => {
    const enc = tableEncoder({ a: [2, 1], b: [4, 1], c: [3, 5] });
    const t = await fitTargets(enc, ['a', null, 'b'], ['c', '  ']);
    expect(Array.from(t.train.mean!)).toEqual([3, 1]);
    expect(t.val.mean).toBe(t.train.mean);
    expect(Array.from(t.train.rows[0]!)).toEqual([-1, 0]);
    expect(t.train.rows[1]).toBeNull();
    expect(Array.from(t.train.rows[2]!)).toEqual([1, 0]);
    expect(Array.from(t.val.rows[0]!)).toEqual([0, 1]); // (3,5) - (3,1) = (0,4) -> (0,1)
    expect(t.val.rows[1]).toBeNull();
    for (const r of [...t.train.rows, ...t.val.rows]) if (r) expect(norm(r)).toBeCloseTo(1, 6);
    expect(Array.from(t.train.raw[0]!)).toEqual([2, 1]);
  });

  it('a row equal to the mean becomes the zero vector', () => {
    expect(Array.from(centreNormalise(v(1, 2), v(1, 2)))).toEqual([0, 0]);
    expect(norm(centreNormalise(v(3, 4), null))).toBeCloseTo(1, 6);
  });
});

describe('diagnostics on hand-made vectors', () => {
  const identical = [v(1, 2, 3), v(1, 2, 3), v(1, 2, 3), v(1, 2, 3)];
  const orthogonal = [v(1, 0, 0, 0), v(0, 1, 0, 0), v(0, 0, 1, 0), v(0, 0, 0, 1)];

  it('identical targets: diversity 1 and retrieval exactly chance', () => {
    expect(meanOffDiagonalCosine(identical)).toBeCloseTo(1, 6);
    const r = retrieval(identical, identical)!;
    expect(r.top1).toBeCloseTo(r.chanceTop1, 9);
    expect(r.top5).toBeCloseTo(r.chanceTop5, 9);
    expect(r).toMatchObject({ n: 4, chanceTop1: 0.25, chanceTop5: 1 });
    expect(r.cosOwn).toBeCloseTo(r.cosOthers, 6);
  });

  it('orthogonal targets: diversity 0 and perfect retrieval when P(h_SEM) = e(r)', () => {
    expect(meanOffDiagonalCosine(orthogonal)).toBeCloseTo(0, 9);
    expect(retrieval(orthogonal, orthogonal)).toMatchObject({ top1: 1, top5: 1, cosOwn: 1, cosOthers: 0 });
  });

  it('a constant projection scores chance whatever the targets', () => {
    const constant = orthogonal.map(() => v(1, 1, 1, 1));
    const r = retrieval(constant, orthogonal)!;
    expect(r.top1).toBeCloseTo(0.25, 9);
  });

  it('a shuffled projection scores zero top-1', () => {
    const shifted = [orthogonal[1]!, orthogonal[2]!, orthogonal[3]!, orthogonal[0]!];
    expect(retrieval(shifted, orthogonal)!.top1).toBe(0);
  });

  it('zero rows (targets equal to the mean) count as identical, not as diverse', () => {
    expect(meanOffDiagonalCosine([v(0, 0), v(0, 0), v(0, 0)])).toBe(1);
    expect(meanOffDiagonalCosine([v(1, 0)])).toBeNull();
  });

  it('centred share: 0 when every row is the mean, larger when rows differ', () => {
    expect(centredShare(identical, v(1, 2, 3))).toBe(0);
    expect(centredShare([v(1, 0), v(0, 1)], v(0.5, 0.5))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(centredShare([v(1, 0)], null)).toBe(1);
  });
});

describe('PST runs record the diagnostics', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const data = benchSplits('coin_flip', 60, 5, 0);
  const run = async (options: Partial<PstConfig>): Promise<{ start: StartInfo; vals: ValidationMetrics[] }> => {
    const method = resolveMethodConfig({ method: 'pst', ...options });
    const config = defaultTrainConfig(method, {
      steps: 4,
      batchSize: 4,
      evalEvery: 4,
      valMaxExamples: 2,
      model: { layers: 1, width: 32, heads: 2 },
    });
    let start: StartInfo | null = null;
    const vals: ValidationMetrics[] = [];
    await train({
      config,
      train: data.train,
      val: data.val,
      runDir: null,
      hooks: { onStart: (i) => void (start = i), onValidation: (x) => void vals.push(x) },
    });
    return { start: start!, vals };
  };

  it('the old self behaviour (self-online) is flagged degenerate with a warning', async () => {
    const { start, vals } = await run({ encoder: 'self-online', loss: 'cosine' });
    const d = start.semantic!.diagnostics[0]!;
    expect(start.semantic).toMatchObject({ encoder: 'self-online', centred: false });
    expect(d.diversity!).toBeGreaterThan(0.95);
    expect(d.degenerate).toBe(true);
    expect(start.warnings.join('\n')).toMatch(/degenerate/);
    expect(vals.at(-1)!.semantic).toMatchObject({ step: 4, degenerate: true });
  });

  it('the default target (frozen, rationale-trained self encoder; centred) is diverse and not flagged', async () => {
    const { start, vals } = await run({ selfSteps: 3 });
    const d = start.semantic!.diagnostics[0]!;
    expect(start.semantic).toMatchObject({
      encoder: 'self',
      centred: true,
      loss: 'infonce',
      encoderConfig: { source: 'pretrained', steps: 3 },
    });
    expect(d.diversity!).toBeLessThan(0.9);
    expect(d.rawDiversity!).toBeGreaterThan(d.diversity!);
    expect(d.degenerate).toBe(false);
    expect(start.warnings).toEqual([]);
    expect(d.train!.n).toBe(data.train.length);
    expect(d.train!.chanceTop1).toBeCloseTo(1 / data.train.length, 9);
    expect(vals.at(-1)!.semantic!.val!.n).toBe(data.val.length);
  });

  it('hashed-tfidf targets are centred on the training mean too', async () => {
    const { start } = await run({ encoder: 'hashed-tfidf', embedDim: 32 });
    expect(start.semantic).toMatchObject({ encoder: 'hashed-tfidf', centred: true, dim: 32 });
    expect(start.semantic!.diagnostics[0]!.diversity!).toBeLessThan(0.9);
  });
});
