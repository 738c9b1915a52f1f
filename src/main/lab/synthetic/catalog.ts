// The list of built-in synthetic tasks, for the CLI (`dataset generate --task`), the UI task picker
// and the generator. Plain data derived from the task modules, so descriptions cannot drift.
import type { AnswerType, HallucinationType } from '../../../shared/types/dataset';
import { arithmetic } from './tasks/arithmetic';
import { coinFlip } from './tasks/coinFlip';
import { lastLetters } from './tasks/lastLetters';
import { shuffledObjects } from './tasks/shuffledObjects';
import type { SizeSpec, SyntheticTask, SyntheticTaskName } from './types';

// Each module is typed with its own problem shape; the engine only needs the common interface.
const TASKS = {
  coin_flip: coinFlip as unknown as SyntheticTask,
  last_letters: lastLetters as unknown as SyntheticTask,
  arithmetic: arithmetic as unknown as SyntheticTask,
  shuffled_objects: shuffledObjects as unknown as SyntheticTask,
} satisfies Record<SyntheticTaskName, SyntheticTask>;

export const SYNTHETIC_TASK_NAMES: readonly SyntheticTaskName[] = ['coin_flip', 'last_letters', 'arithmetic', 'shuffled_objects'];

export interface SyntheticTaskInfo {
  name: SyntheticTaskName;
  description: string;
  answerType: AnswerType;
  /** What the size options count (people, words, steps, swaps) and their default/allowed range. */
  size: SizeSpec;
  /** Hallucination types this task can inject, each with what it means for this task. */
  hallucinationTypes: Partial<Record<HallucinationType, string>>;
  /** What a pattern is (the structure that decides the answer; docs/methods.md). */
  patternDefinition: string;
}

export const SYNTHETIC_TASKS: readonly SyntheticTaskInfo[] = SYNTHETIC_TASK_NAMES.map((name) => {
  const t = TASKS[name];
  return {
    name,
    description: t.description,
    answerType: t.answerType,
    size: { ...t.size },
    hallucinationTypes: { ...t.applicableTypes },
    patternDefinition: t.patternDefinition,
  };
});

export function isSyntheticTaskName(name: string): name is SyntheticTaskName {
  return (SYNTHETIC_TASK_NAMES as readonly string[]).includes(name);
}

export function getSyntheticTask(name: SyntheticTaskName): SyntheticTask {
  return TASKS[name];
}
