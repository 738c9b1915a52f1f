// Shared helpers for the synthetic generator tests.
import { expect } from 'vitest';
import type { ExampleInput, TeacherCompletion } from '../../../src/shared/types/dataset';
import { SYNTHETIC_TASK_NAMES } from '../../../src/main/lab/synthetic';

export const TASKS = SYNTHETIC_TASK_NAMES;

export function only(ex: ExampleInput): TeacherCompletion {
  expect(ex.completions).toHaveLength(1);
  return ex.completions[0]!;
}
