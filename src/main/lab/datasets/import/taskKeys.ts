// Answer types of the known reasoning tasks, keyed by the names the public files use
// (Fine-tune-CoT dataset_key, Zero-shot-CoT `dataset=`/log names, step-by-step dataset names).
import type { AnswerType } from '../../../../shared/types/dataset';

const TASK_ANSWER_TYPES: Record<string, AnswerType> = {
  // The 12 tasks of the paper (Fine-tune-CoT suite) and their aliases in the other repos.
  singleeq: 'number',
  addsub: 'number',
  multiarith: 'number',
  gsm8k: 'number',
  aqua: 'choice',
  svamp: 'number',
  dateunderstanding: 'choice',
  bigbenchdate: 'choice',
  trackingshuffledobjects: 'choice',
  shuffledobjects: 'choice',
  objecttracking: 'choice',
  lastletterconcatenation: 'text',
  lastletters: 'text',
  coinflip: 'yesno',
  commonsenseqa: 'choice',
  commonsensqa: 'choice',
  csqa: 'choice',
  cqa: 'choice',
  strategyqa: 'yesno',
  // Other step-by-step datasets.
  asdiv: 'number',
  esnli: 'text',
  anli1: 'text',
  anli2: 'text',
  anli3: 'text',
};

/** "tracking_shuffled_objects" / "Tracking-Shuffled-Objects" -> "trackingshuffledobjects". */
export function canonicalTaskKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function answerTypeForTask(key: string | null | undefined): AnswerType | null {
  if (!key) return null;
  return TASK_ANSWER_TYPES[canonicalTaskKey(key)] ?? null;
}
