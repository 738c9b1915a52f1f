// Reads a whole-JSON file (Fine-tune-CoT files, step-by-step llm arrays, generic JSON arrays):
// these formats are one JSON value, so they are read at once, but every failure is located:
// empty file, invalid UTF-8 (line and byte column), syntax errors and truncation (line, column).
import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { scanJson, type ValueSpan } from './jsonScan';
import { firstInvalidUtf8, lineOfByteOffset } from './utf8';
import type { ImportProblem } from './types';
import { ImportError } from './errors';
import { LONE_SURROGATE, TOO_DEEP } from './valueCheck';

export type JsonDocument =
  | { ok: true; value: unknown; spans: Map<string, ValueSpan>; bytes: number; text: string }
  | { ok: false; problem: ImportProblem; bytes: number };

export async function readJsonDocument(file: string, spanDepth: number): Promise<JsonDocument> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw new ImportError(`cannot read file: ${(err as Error).message}`, file);
  }
  const bytes = buf.length;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    const { line, column } = lineOfByteOffset(buf, at);
    return { ok: false, bytes, problem: { file, line, reason: `invalid UTF-8 at byte column ${column}` } };
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') return { ok: false, bytes, problem: { file, line: 1, reason: 'file is empty' } };
  const scan = scanJson(text, spanDepth);
  if (!scan.ok) {
    const limit = scan.reason === TOO_DEEP || scan.reason === LONE_SURROGATE;
    return {
      ok: false,
      bytes,
      problem: {
        file,
        line: scan.line,
        reason: `${limit ? 'refused' : 'malformed'} JSON at column ${scan.column}: ${scan.reason}`,
      },
    };
  }
  return { ok: true, value: JSON.parse(text) as unknown, spans: scan.spans, bytes, text };
}
