// Explicit mapping between the synthetic generator's HallucinationType (what was injected) and
// the annotation ErrorType (what annotators and checkers label), so checkers and people can be
// scored against injected ground truth.
//
//   HallucinationType         ErrorType                 why
//   arithmetic_slip           arithmetic                same thing: a wrong computed result
//   quantity_misread          quantity_misread          same thing: a number read wrongly from the question
//   skipped_step              logical_leap              a value is used that no step derived: the reasoning jumps
//   irrelevant_statement      unsupported_irrelevant    content not needed by / supported for the question
//   contradictory_statement   factual_error             a statement that contradicts the question or an earlier fact
//   answer_mismatch           answer_mismatch           the conclusion differs from the final answer
//   (none)                    other                     annotators' catch-all; never injected
import type { HallucinationType } from '../../../../shared/types/dataset';
import type { ErrorType } from './types';

export const HALLUCINATION_TO_ERROR_TYPE: Readonly<Record<HallucinationType, ErrorType>> = {
  arithmetic_slip: 'arithmetic',
  quantity_misread: 'quantity_misread',
  skipped_step: 'logical_leap',
  irrelevant_statement: 'unsupported_irrelevant',
  contradictory_statement: 'factual_error',
  answer_mismatch: 'answer_mismatch',
};

export const ERROR_TYPE_TO_HALLUCINATION: Readonly<Record<ErrorType, HallucinationType | null>> = {
  arithmetic: 'arithmetic_slip',
  quantity_misread: 'quantity_misread',
  logical_leap: 'skipped_step',
  unsupported_irrelevant: 'irrelevant_statement',
  factual_error: 'contradictory_statement',
  answer_mismatch: 'answer_mismatch',
  other: null,
};

export function errorTypeForHallucination(type: HallucinationType): ErrorType {
  return HALLUCINATION_TO_ERROR_TYPE[type];
}

export function hallucinationForErrorType(type: ErrorType): HallucinationType | null {
  return ERROR_TYPE_TO_HALLUCINATION[type];
}
