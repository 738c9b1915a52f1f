// Streams a text file as lines without ever holding the whole file in one string: splits raw
// bytes on \n, strips a UTF-8 BOM and the \r of CRLF, checks each line is valid UTF-8 and caps
// line length so one giant line cannot exhaust memory. Lines come in batches (one per chunk read)
// because awaiting once per line would dominate the cost of a 100,000-line import.
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from './utf8';

export type LineEvent =
  | { kind: 'line'; line: number; text: string; bytes: number }
  | { kind: 'invalid-utf8'; line: number; column: number; bytes: number }
  | { kind: 'oversized'; line: number; bytes: number };

export interface ReadLinesOptions {
  maxLineBytes: number;
  /** Called with the number of bytes consumed since the previous call. */
  onBytes?: (delta: number) => void;
  highWaterMark?: number;
}

export async function* readLines(path: string, opts: ReadLinesOptions): AsyncGenerator<LineEvent[]> {
  const stream = createReadStream(path, { highWaterMark: opts.highWaterMark ?? 1 << 20 });
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let oversizedLen = 0; // > 0 while discarding the rest of an oversized line
  let lineNo = 0;
  let first = true;

  const finishLine = (tail: Buffer, out: LineEvent[]): void => {
    lineNo++;
    if (oversizedLen > 0) {
      out.push({ kind: 'oversized', line: lineNo, bytes: oversizedLen + tail.length });
      oversizedLen = 0;
      return;
    }
    let buf = pendingLen === 0 ? tail : Buffer.concat([...pending, tail], pendingLen + tail.length);
    pending = [];
    pendingLen = 0;
    const bytes = buf.length;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    if (bytes > opts.maxLineBytes) {
      out.push({ kind: 'oversized', line: lineNo, bytes });
      return;
    }
    if (!isUtf8(buf)) {
      out.push({ kind: 'invalid-utf8', line: lineNo, column: firstInvalidUtf8(buf) + 1, bytes });
      return;
    }
    out.push({ kind: 'line', line: lineNo, text: buf.toString('utf8'), bytes });
  };

  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk = raw;
    opts.onBytes?.(raw.length);
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const out: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      finishLine(chunk.subarray(start, nl), out);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (oversizedLen > 0) oversizedLen += rest.length;
      else if (pendingLen + rest.length > opts.maxLineBytes) {
        oversizedLen = pendingLen + rest.length;
        pending = [];
        pendingLen = 0;
      } else {
        // Copy: the stream may reuse its chunk buffers.
        pending.push(Buffer.from(rest));
        pendingLen += rest.length;
      }
    }
    if (out.length > 0) yield out;
  }
  // A last line without a final newline is still a line (common, and what a truncated file has).
  if (pendingLen > 0 || oversizedLen > 0) {
    const out: LineEvent[] = [];
    finishLine(Buffer.alloc(0), out);
    yield out;
  }
}
