// The lab's refusal of a form's input, shown where the user can act on it: each validation issue
// next to the form field it names (the nearest one the form has), the issues no field takes listed
// apart, and one line above the submit button. Every form (New run, the experiment designer,
// reports) reads refusals this way.
import { errorMessage, runAction, type CallState } from '../calls';
import { LabCallError } from '../labError';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** What a refused form shows: messages by field key, the issues no field takes, and the line above the button. */
export interface FormFailure {
  byField: Record<string, string>;
  other: string[];
  message: string;
}

/** Validation issues from a LabError's details ([{path, message}]), or [] when it carries none. */
export function issuesOf(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is FieldIssue =>
      !!d &&
      typeof d === 'object' &&
      Array.isArray((d as FieldIssue).path) &&
      typeof (d as FieldIssue).message === 'string',
  );
}

/**
 * Issues keyed by the nearest of the form's `fields` ("steps", "methodOptions.alpha", "model.layers"):
 * "synthetic.hallucinationRates.1" goes to "synthetic.hallucinationRates" as "item 2: ...". A path
 * under "spec" is read from there (experiments.plan nests the spec). Issues no field takes are
 * returned apart, with their path, so the form can still show them.
 */
export function fieldErrors(
  issues: readonly FieldIssue[],
  fields: ReadonlySet<string>,
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const path = issue.path[0] === 'spec' ? issue.path.slice(1) : issue.path;
    let field: string | null = null;
    let rest: (string | number)[] = [];
    for (let i = path.length; i > 0; i--) {
      const key = path.slice(0, i).join('.');
      if (fields.has(key)) {
        field = key;
        rest = path.slice(i);
        break;
      }
    }
    // The lab sends paths as strings: a list index arrives as "1".
    const index = rest.length ? String(rest[0]) : '';
    const message = /^\d+$/.test(index) ? `item ${Number(index) + 1}: ${issue.message}` : issue.message;
    if (field === null) other.push(path.length ? `${path.join('.')}: ${message}` : message);
    else byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
  }
  return { byField, other };
}

/**
 * A failed submit as the form shows it: a validation refusal becomes field errors and `summary`
 * above the button; any other failure is its message alone.
 */
export function formFailure(
  e: unknown,
  fields: ReadonlySet<string>,
  summary = 'Some fields need attention.',
): FormFailure {
  const issues = e instanceof LabCallError ? issuesOf(e.details) : [];
  if (!issues.length) return { byField: {}, other: [], message: errorMessage(e) };
  return { ...fieldErrors(issues, fields), message: summary };
}

/** A form's CallState with the lab's refusal spread over it: messages by field key, and the rest. */
export interface FormState extends CallState {
  errors: Record<string, string>;
  other: string[];
}

/** Nothing running, nothing refused: a form's initial state. */
export function idleForm(): FormState {
  return { busy: false, error: '', errors: {}, other: [] };
}

/** Submits a form: runAction, with a validation refusal shown next to the `fields` it names. */
export function submitForm(
  state: FormState,
  fields: ReadonlySet<string>,
  action: () => Promise<unknown>,
): Promise<boolean> {
  state.errors = {};
  state.other = [];
  return runAction(state, action, (e) => {
    const failure = formFailure(e, fields);
    state.errors = failure.byField;
    state.other = failure.other;
    return failure.message;
  });
}
