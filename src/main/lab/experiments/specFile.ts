// Reading an experiment spec file with errors that say where: file, line, field path and reason.
import fs from 'node:fs';
import { experimentSpecSchema } from '../../../shared/contract/experiments';
import type { ExperimentSpec } from '../../../shared/types/experiments';
import { LabError } from '../errors';

export interface SpecProblem {
  file: string;
  line: number | null;
  field: string;
  reason: string;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line of a field: each key of the path is searched after the previous one, which finds the
 * right place in ordinary spec files (keys are unique per level there). Array indices are skipped.
 */
export function locateField(text: string, path: readonly (string | number)[]): number | null {
  let at = 0;
  let found = false;
  for (const key of path) {
    if (typeof key === 'number') continue;
    const i = text.indexOf(JSON.stringify(key), at);
    if (i < 0) break;
    at = i;
    found = true;
  }
  return found ? lineAt(text, at) : null;
}

export function describeProblem(p: SpecProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.field}: ${p.reason}`;
}

export function parseSpecText(text: string, file: string): ExperimentSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? lineAt(text, Number(m[1])) : null;
    const problem = { file, line, field: '(file)', reason: `not valid JSON: ${(err as Error).message}` };
    throw new LabError('BAD_FILE', describeProblem(problem), { problems: [problem] });
  }
  const parsed = experimentSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const problems: SpecProblem[] = parsed.error.issues.map((i) => ({
      file,
      line: locateField(text, i.path as (string | number)[]),
      field: i.path.length ? i.path.join('.') : '(spec)',
      reason: i.message,
    }));
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more: ${problems.slice(1).map(describeProblem).join('; ')})`
        : '';
    throw new LabError('BAD_FILE', describeProblem(problems[0]!) + more, { problems });
  }
  return parsed.data as ExperimentSpec;
}

export function readSpecFile(file: string): ExperimentSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError(
      'NOT_FOUND',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseSpecText(text, file);
}
