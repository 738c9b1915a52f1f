// Fatal import errors: the import cannot even start or continue (file unreadable, format unknown,
// files that do not fit the forced format). Bad records are NOT thrown: they become ImportProblems.

export class ImportError extends Error {
  readonly file: string | null;
  readonly line: number | null;
  readonly reason: string;

  constructor(reason: string, file: string | null = null, line: number | null = null) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${reason}` : reason);
    this.name = 'ImportError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
