// Record sources for the generic formats: each yields key->value records with the line where the
// record starts, or located problems, without ever holding a JSONL/CSV file in one string.
import { parse as parseCsv, type Parser } from 'csv-parse';
import { readLines } from './lineReader';
import { readJsonDocument } from './jsonDocument';
import { pathKey } from './jsonScan';
import type { ImportProblem } from './types';
import type { ProgressTracker } from './progress';
import { checkValue, describePath, setOwn } from './valueCheck';

export type SourceItem =
  | { kind: 'record'; value: unknown; line: number }
  /** One bad record: it counts as a skipped record. */
  | { kind: 'bad-record'; problem: ImportProblem }
  /** A problem with the file as a whole (empty, unparseable): nothing after it is readable. */
  | { kind: 'file-problem'; problem: ImportProblem };

export interface SourceOptions {
  maxRecordBytes: number;
  progress: ProgressTracker;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const tooBig = (bytes: number, max: number): string =>
  `record is ${bytes} bytes, over the limit of ${max} bytes per record (option maxRecordBytes)`;

export async function* jsonlRecords(file: string, opts: SourceOptions): AsyncGenerator<SourceItem[]> {
  let any = false;
  let lastMalformed: ImportProblem | null = null;
  let lastLine = 0;
  for await (const batch of readLines(file, {
    maxLineBytes: opts.maxRecordBytes,
    onBytes: (d) => opts.progress.advance(file, d),
  })) {
    const out: SourceItem[] = [];
    for (const ev of batch) {
      lastLine = ev.line;
      if (ev.kind === 'oversized') {
        any = true;
        out.push({
          kind: 'bad-record',
          problem: { file, line: ev.line, reason: tooBig(ev.bytes, opts.maxRecordBytes) },
        });
      } else if (ev.kind === 'invalid-utf8') {
        any = true;
        out.push({
          kind: 'bad-record',
          problem: { file, line: ev.line, reason: `invalid UTF-8 at byte column ${ev.column}` },
        });
      } else {
        const text = ev.text;
        if (text.trim() === '') continue;
        any = true;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          lastMalformed = { file, line: ev.line, reason: `malformed JSON: ${(err as Error).message}` };
          out.push({ kind: 'bad-record', problem: lastMalformed });
          continue;
        }
        const bad = checkValue(value);
        if (bad) {
          const field = describePath(bad.path);
          out.push({
            kind: 'bad-record',
            problem: { file, line: ev.line, ...(field ? { field } : {}), reason: bad.reason },
          });
          continue;
        }
        out.push({ kind: 'record', value, line: ev.line });
      }
    }
    if (out.length > 0) yield out;
  }
  // A malformed final line is what a file cut off mid-write looks like: say so.
  if (lastMalformed && lastMalformed.line === lastLine)
    lastMalformed.reason += ' (last line: the file may be truncated)';
  if (!any) yield [{ kind: 'file-problem', problem: { file, line: 1, reason: 'file is empty (no records)' } }];
}

/** A JSON array of records, or an object holding one under data/examples/records/items. */
export async function* jsonArrayRecords(file: string, opts: SourceOptions): AsyncGenerator<SourceItem[]> {
  const doc = await readJsonDocument(file, 2);
  opts.progress.advance(file, doc.bytes);
  if (!doc.ok) {
    yield [{ kind: 'file-problem', problem: doc.problem }];
    return;
  }
  let arr: unknown = doc.value;
  let prefix: string[] = [];
  if (!Array.isArray(arr) && typeof arr === 'object' && arr !== null) {
    const key = ['data', 'examples', 'records', 'items'].find((k) =>
      Array.isArray((arr as Record<string, unknown>)[k]),
    );
    if (key) {
      arr = (arr as Record<string, unknown>)[key];
      prefix = [key];
    }
  }
  if (!Array.isArray(arr)) {
    yield [
      {
        kind: 'file-problem',
        problem: { file, line: 1, reason: 'expected a JSON array of records (or an object with a "data" array)' },
      },
    ];
    return;
  }
  if (arr.length === 0) {
    yield [{ kind: 'file-problem', problem: { file, line: 1, reason: 'file is empty (the array has no records)' } }];
    return;
  }
  const out: SourceItem[] = [];
  arr.forEach((value, idx) => {
    const span = doc.spans.get(pathKey(...prefix, idx));
    const line = span?.line ?? 1;
    if (span && span.end - span.start > opts.maxRecordBytes / 4) {
      const bytes = Buffer.byteLength(doc.text.slice(span.start, span.end));
      if (bytes > opts.maxRecordBytes) {
        out.push({ kind: 'bad-record', problem: { file, line, reason: tooBig(bytes, opts.maxRecordBytes) } });
        return;
      }
    }
    out.push({ kind: 'record', value, line });
  });
  yield out;
}

/**
 * CSV with a header row, parsed by csv-parse. Lines come from the shared line reader (BOM, CRLF,
 * UTF-8 checks, line cap) and are fed to the parser; a line that failed those checks is fed as an
 * empty line and its problem is attached to the record that spans it.
 */
export async function* csvRecords(file: string, opts: SourceOptions): AsyncGenerator<SourceItem[]> {
  const parser: Parser = parseCsv({
    info: true,
    raw: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: false,
    max_record_size: opts.maxRecordBytes,
  });
  let parseError: (Error & { code?: string; lines?: number }) | null = null;
  parser.on('error', (e: Error) => {
    parseError = e;
  });
  const badLines: ImportProblem[] = [];
  let header: string[] | null = null;
  let lastEnd = 0;
  let any = false;

  const drain = (out: SourceItem[]): void => {
    let r: { record: string[]; info: { lines: number }; raw: string } | null;
    while ((r = parser.read() as typeof r) !== null) {
      const end = r.info.lines;
      const rawNl = (r.raw.match(/\n/g) ?? []).length;
      const leading = (/^(\r?\n)*/.exec(r.raw)?.[0].match(/\n/g) ?? []).length;
      const start = end - rawNl + 1 + leading;
      lastEnd = end;
      // Problems of lines inside this record belong to it; earlier ones stood alone.
      const mine: ImportProblem[] = [];
      while (badLines.length > 0 && badLines[0]!.line <= end) {
        const p = badLines.shift()!;
        if (p.line >= start) mine.push(p);
        else out.push({ kind: 'bad-record', problem: p });
      }
      if (!header) {
        if (mine.length > 0) {
          for (const p of mine)
            out.push({ kind: 'file-problem', problem: { ...p, reason: `header row: ${p.reason}` } });
          header = [];
          continue;
        }
        header = r.record.map((h) => h.trim());
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined)
          out.push({
            kind: 'file-problem',
            problem: { file, line: start, reason: `duplicate column name ${JSON.stringify(dup)} in the header row` },
          });
        continue;
      }
      any = true;
      if (mine.length > 0) {
        for (const p of mine)
          out.push({ kind: 'bad-record', problem: { ...p, line: start, reason: `${p.reason} (line ${p.line})` } });
        continue;
      }
      if (r.record.length !== header.length) {
        out.push({
          kind: 'bad-record',
          problem: { file, line: start, reason: `row has ${r.record.length} columns, the header has ${header.length}` },
        });
        continue;
      }
      const value: Record<string, string> = {};
      header.forEach((h, i) => setOwn(value, h, r!.record[i]!));
      out.push({ kind: 'record', value, line: start });
    }
  };

  const describeError = (e: Error & { code?: string; lines?: number }): ImportProblem => {
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      return {
        file,
        line: lastEnd + 1,
        reason: 'unclosed quote: the record starting here never ends (file truncated?)',
      };
    }
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      return {
        file,
        line: lastEnd + 1,
        reason: `record over the limit of ${opts.maxRecordBytes} characters (option maxRecordBytes)`,
      };
    return { file, line: e.lines ?? lastEnd + 1, reason: `malformed CSV: ${e.message}` };
  };

  for await (const batch of readLines(file, {
    maxLineBytes: opts.maxRecordBytes,
    onBytes: (d) => opts.progress.advance(file, d),
  })) {
    let text = '';
    for (const ev of batch) {
      if (ev.kind === 'line') text += ev.text + '\n';
      else {
        badLines.push({
          file,
          line: ev.line,
          reason:
            ev.kind === 'oversized'
              ? tooBig(ev.bytes, opts.maxRecordBytes)
              : `invalid UTF-8 at byte column ${ev.column}`,
        });
        text += '\n';
      }
    }
    const out: SourceItem[] = [];
    parser.write(text);
    drain(out);
    await tick(); // let a parse error surface
    if (parseError) {
      out.push({ kind: 'file-problem', problem: describeError(parseError) });
      yield out;
      return;
    }
    if (out.length > 0) yield out;
  }
  const out: SourceItem[] = [];
  parser.end();
  // The parser emits its last record when it flushes, a tick or two after end().
  for (let k = 0; k < 1000 && !parser.writableFinished && !parseError; k++) await tick();
  drain(out);
  if (parseError) out.push({ kind: 'file-problem', problem: describeError(parseError) });
  for (const p of badLines) out.push({ kind: 'bad-record', problem: p });
  if (!header) out.push({ kind: 'file-problem', problem: { file, line: 1, reason: 'file is empty (no header row)' } });
  else if (!any && !parseError)
    out.push({ kind: 'file-problem', problem: { file, line: 1, reason: 'file has a header row but no records' } });
  yield out;
}
