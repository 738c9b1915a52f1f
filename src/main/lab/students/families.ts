// The student families the lab reads, and which one a config.json belongs to.
import type { StudentFamily } from './family';
import { configError } from './family';
import { bertFamily } from './bert';
import { gpt2Family } from './gpt2';
import { llamaFamily } from './llama';

export const FAMILIES: readonly StudentFamily<unknown>[] = [
  gpt2Family as StudentFamily<unknown>,
  llamaFamily as StudentFamily<unknown>,
  bertFamily as StudentFamily<unknown>,
];

const MODEL_TYPES: Record<string, string> = {
  gpt2: 'GPT2LMHeadModel',
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  bert: 'BertModel',
};

export type FamilyKind = StudentFamily<unknown>['kind'];

export function supportedArchitectures(kind: FamilyKind): string[] {
  return FAMILIES.filter((f) => f.kind === kind).flatMap((f) => f.architectures);
}

/** A family's kind by its id (registry rows keep the family id). */
export function kindOfFamily(id: string): FamilyKind | null {
  return FAMILIES.find((f) => f.id === id)?.kind ?? null;
}

/** What a parsed config.json describes: a sentence encoder when its architecture is one, else a student. */
export function kindOfConfig(raw: Record<string, unknown>): FamilyKind {
  const archs = raw['architectures'];
  const mt = raw['model_type'];
  const architecture =
    Array.isArray(archs) && typeof archs[0] === 'string'
      ? archs[0]
      : typeof mt === 'string'
        ? (MODEL_TYPES[mt] ?? mt)
        : null;
  return FAMILIES.some((f) => f.kind === 'encoder' && architecture !== null && f.architectures.includes(architecture))
    ? 'encoder'
    : 'causal';
}

/** The family of a kind for a parsed config.json, from `architectures[0]` (or `model_type` when absent). */
export function familyFor(
  raw: Record<string, unknown>,
  source: string,
  kind: FamilyKind = 'causal',
): { family: StudentFamily<unknown>; architecture: string } {
  const archs = raw['architectures'];
  let architecture: string;
  let field = 'architectures';
  if (archs !== undefined && archs !== null) {
    if (!Array.isArray(archs) || archs.length !== 1 || typeof archs[0] !== 'string')
      throw configError(source, field, `expected one architecture name, got ${JSON.stringify(archs)}`);
    architecture = archs[0];
  } else {
    field = 'model_type';
    const mt = raw['model_type'];
    if (typeof mt !== 'string') throw configError(source, 'architectures', 'missing (and no model_type either)');
    architecture = MODEL_TYPES[mt] ?? mt;
  }
  const family = FAMILIES.find((f) => f.kind === kind && f.architectures.includes(architecture));
  const what = kind === 'causal' ? 'student' : 'sentence encoder';
  if (!family)
    throw configError(
      source,
      field,
      `${JSON.stringify(architecture)} is not a supported ${what} (supported: ${supportedArchitectures(kind).join(', ')})`,
    );
  return { family, architecture };
}
