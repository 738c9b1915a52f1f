// Expanding an experiment spec into its grid of run cells. The order is seed-major (all cells of
// seed 1, then seed 2...) so a half-finished experiment already has every group on some seed.
import type { CellFactors, ExperimentSpec, PlannedCell } from '../../../shared/types/experiments';
import type { AnswerTarget, MethodId, MethodOptions } from '../../../shared/types/runs';

/** Five seeds by default: the seed is the unit of replication, and with 5 the exact sign-flip test can reach p = 2/32 (docs/methods.md, "Statistics"). */
export const DEFAULT_SEED_COUNT = 5;

export function specSeeds(spec: Pick<ExperimentSpec, 'seeds'>): number[] {
  const s = spec.seeds ?? DEFAULT_SEED_COUNT;
  return typeof s === 'number' ? Array.from({ length: s }, (_, i) => i + 1) : [...s];
}

/** The hallucination rates of a synthetic spec; [null] for an existing dataset. */
export function specRates(spec: Pick<ExperimentSpec, 'synthetic'>): (number | null)[] {
  return spec.synthetic ? [...spec.synthetic.hallucinationRates] : [null];
}

/** The answer targets a spec varies; [null] when it does not (the methods' own option applies). */
export function specAnswerTargets(spec: Pick<ExperimentSpec, 'answerTargets'>): (AnswerTarget | null)[] {
  return spec.answerTargets ? [...spec.answerTargets] : [null];
}

/** Key of a cell without its seed: the runs of one group differ only by seed. */
export function groupKeyOf(f: Omit<CellFactors, 'seed'>): string {
  const parts: string[] = [f.method];
  if (f.hallucinationRate !== null) parts.push(`rate=${f.hallucinationRate}`);
  if (f.answerTarget) parts.push(`target=${f.answerTarget}`);
  if (f.lambda !== null) parts.push(`lambda=${f.lambda}`);
  if (f.encoder !== null) parts.push(`encoder=${f.encoder}`);
  if (f.loss !== null) parts.push(`loss=${f.loss}`);
  return parts.join('|');
}

export function groupLabelOf(f: Omit<CellFactors, 'seed'>): string {
  const extras: string[] = [];
  if (f.hallucinationRate !== null) extras.push(`rate ${f.hallucinationRate}`);
  if (f.answerTarget) extras.push(`${f.answerTarget} target`);
  if (f.lambda !== null) extras.push(`λ ${f.lambda}`);
  if (f.encoder !== null) extras.push(`encoder ${f.encoder}`);
  if (f.loss !== null) extras.push(`loss ${f.loss}`);
  return extras.length ? `${f.method} (${extras.join(', ')})` : f.method;
}

/** PST option combinations from pstGrid; a factor that is not varied stays null. */
function pstCombos(spec: ExperimentSpec): Pick<CellFactors, 'lambda' | 'encoder' | 'loss'>[] {
  const g = spec.pstGrid ?? {};
  const lambdas: (number | null)[] = g.lambda ?? [null];
  const encoders: (string | null)[] = g.encoder ?? [null];
  const losses: (string | null)[] = g.loss ?? [null];
  const out: Pick<CellFactors, 'lambda' | 'encoder' | 'loss'>[] = [];
  for (const lambda of lambdas)
    for (const encoder of encoders) for (const loss of losses) out.push({ lambda, encoder, loss });
  return out;
}

const NO_PST = { lambda: null, encoder: null, loss: null };

export function expandGrid(spec: ExperimentSpec): PlannedCell[] {
  const cells: PlannedCell[] = [];
  for (const seed of specSeeds(spec)) {
    for (const answerTarget of specAnswerTargets(spec)) {
      for (const hallucinationRate of specRates(spec)) {
        for (const method of spec.methods) {
          for (const combo of method === 'pst' ? pstCombos(spec) : [NO_PST]) {
            const base = { method, hallucinationRate, ...combo, ...(answerTarget ? { answerTarget } : {}) };
            const groupKey = groupKeyOf(base);
            cells.push({
              position: cells.length,
              key: `${groupKey}|seed=${seed}`,
              groupKey,
              label: groupLabelOf(base),
              factors: { ...base, seed },
            });
          }
        }
      }
    }
  }
  return cells;
}

/** The method options of one cell: shared options, then per-method ones, then the cell's PST factors. */
export function cellMethodOptions(spec: ExperimentSpec, f: CellFactors): MethodOptions {
  const o: MethodOptions = { ...spec.methodOptions, ...spec.perMethodOptions?.[f.method as MethodId] };
  if (f.answerTarget) o.answerTarget = f.answerTarget;
  if (f.lambda !== null) o.lambda = f.lambda;
  if (f.encoder !== null) o.encoder = f.encoder as MethodOptions['encoder'];
  if (f.loss !== null) o.loss = f.loss as MethodOptions['loss'];
  // The sentence encoder belongs to the external cells only (a self or hashed-tfidf cell would refuse it).
  if (f.encoder === 'external' && spec.pstGrid?.encoderStudent) o.encoderStudent = spec.pstGrid.encoderStudent;
  else if (f.method !== 'pst' || (o.encoder ?? null) !== 'external') delete o.encoderStudent;
  return o;
}
