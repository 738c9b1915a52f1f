// Accumulates one import's outcome: accepted examples, located problems, skipped records and
// warnings, and enforces what holds across records (unique ids). It also applies the
// all-or-nothing rule when the import finishes.
import type { ExampleInput } from '../../../../shared/types/dataset';
import type { ColumnMapping, ImportFormat, ImportProblem, ImportResult, SkippedRecord } from './types';
import { isHedgedAnswer } from './teacher';

interface Origin {
  file: string;
  line: number;
}

export class ImportCollector {
  private readonly examples: ExampleInput[] = [];
  private readonly byId = new Map<string, { example: ExampleInput; origin: Origin }>();
  /** Ids of records that were invalid, so records that refer to them are not reported twice. */
  private readonly rejectedIds = new Set<string>();
  readonly problems: ImportProblem[] = [];
  readonly warnings: ImportProblem[] = [];
  readonly skipped: SkippedRecord[] = [];
  records = 0;
  private fileProblems = 0;

  /** Adds a valid example, or reports a duplicate id naming where the id was first seen. */
  accept(example: ExampleInput, origin: Origin): boolean {
    const first = this.byId.get(example.externalId);
    if (first) {
      this.reject(origin, [
        {
          ...origin,
          field: 'id',
          reason: `duplicate id "${example.externalId}" (first occurrence at ${first.origin.file}:${first.origin.line})`,
        },
      ]);
      return false;
    }
    this.byId.set(example.externalId, { example, origin });
    this.examples.push(example);
    return true;
  }

  /** Records one invalid record (possibly with several problems). */
  reject(origin: Origin, problems: ImportProblem[], externalId?: string): void {
    this.problems.push(...problems);
    this.skipped.push({ file: origin.file, line: origin.line });
    if (externalId !== undefined && !this.byId.has(externalId)) this.rejectedIds.add(externalId);
  }

  /**
   * A problem with a whole file (empty, unparseable, truncated JSON document). These block the
   * import even with skipInvalid: skipping a file silently would be a half import.
   */
  fileProblem(problem: ImportProblem): void {
    this.problems.push(problem);
    this.fileProblems++;
  }

  /** One more problem of a record that was already rejected (counted once as skipped). */
  extraProblem(problem: ImportProblem): void {
    this.problems.push(problem);
  }

  warn(problem: ImportProblem): void {
    this.warnings.push(problem);
  }

  get(externalId: string): ExampleInput | undefined {
    return this.byId.get(externalId)?.example;
  }

  wasRejected(externalId: string): boolean {
    return this.rejectedIds.has(externalId);
  }

  all(): readonly ExampleInput[] {
    return this.examples;
  }

  finish(args: {
    format: ImportFormat;
    skipInvalid: boolean;
    datasetKey: string | null;
    mapping: ColumnMapping | null;
    files: number;
    bytes: number;
    startedAt: number;
  }): ImportResult {
    const ok = this.problems.length === 0 || (args.skipInvalid && this.fileProblems === 0);
    const examples = ok ? this.examples : [];
    let completions = 0;
    let teacherCorrect = 0;
    let teacherAnswered = 0;
    let withoutRationale = 0;
    let teacherNoAnswer = 0;
    let teacherHedged = 0;
    for (const ex of examples) {
      if (ex.completions.length === 0) withoutRationale++;
      ex.completions.forEach((c, k) => {
        completions++;
        if (c.correct !== null) teacherAnswered++;
        if (c.correct === true) teacherCorrect++;
        if (c.teacherAnswer === null) teacherNoAnswer++;
        else if (isHedgedAnswer(ex.answerType, c.teacherAnswer, ex.choices)) {
          teacherHedged++;
          const at = this.byId.get(ex.externalId)?.origin;
          if (at) this.warn({ ...at, reason: `example ${ex.externalId}, completion ${k}: hedged teacher answer ${JSON.stringify(c.teacherAnswer)} names more than one candidate; counted wrong` });
        }
      });
    }
    return {
      format: args.format,
      ok,
      examples,
      problems: this.problems,
      warnings: this.warnings,
      skipped: args.skipInvalid ? this.skipped : [],
      datasetKey: args.datasetKey,
      mapping: args.mapping,
      stats: {
        files: args.files,
        bytes: args.bytes,
        records: this.records,
        examples: examples.length,
        completions,
        teacherCorrect,
        teacherAnswered,
        withoutRationale,
        teacherNoAnswer,
        teacherHedged,
        elapsedMs: Date.now() - args.startedAt,
      },
    };
  }
}
