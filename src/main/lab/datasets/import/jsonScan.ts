// A small validating JSON scanner. JSON.parse neither says on which line a syntax error is (V8's
// messages often carry no position) nor where each record of a big document starts; this does
// both in one pass, so problems in whole-JSON files (Fine-tune-CoT, llm arrays, JSON arrays) can
// be reported as file:line like everywhere else. Values themselves are still built by JSON.parse.
// It also enforces the nesting and Unicode limits of valueCheck.ts at the exact line and column.
import { LONE_SURROGATE, MAX_NESTING, TOO_DEEP } from './valueCheck';

export interface ValueSpan {
  /** 1-based line where the value starts. */
  line: number;
  /** Character offsets of the value in the text (end exclusive). */
  start: number;
  end: number;
}

export type ScanResult =
  | { ok: true; spans: Map<string, ValueSpan> }
  | { ok: false; offset: number; line: number; column: number; reason: string };

/** Path key of a nested value: keys/indices joined by "\u0000" (never part of a sane key). */
export function pathKey(...parts: (string | number)[]): string {
  return parts.join('\u0000');
}

const STRING_STOP = /["\\\x00-\x1f]/g;
const LITERAL = /-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?|true|false|null/y;

interface Frame {
  kind: 'object' | 'array';
  path: (string | number)[];
  index: number;
  key: string | null;
  /** 'value' when a value is expected next, 'after' after one, 'key' when a key is expected. */
  expect: 'value' | 'after' | 'key' | 'colon';
  open: ValueSpan | null;
}

/**
 * Validates `text` as one JSON document and records the span of every value whose depth is at
 * most `maxDepth` (root = depth 0), keyed by pathKey of its path.
 */
export function scanJson(text: string, maxDepth: number): ScanResult {
  const spans = new Map<string, ValueSpan>();
  const stack: Frame[] = [];
  const openSpans: (ValueSpan | null)[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  let rootDone = false;
  const n = text.length;

  const fail = (offset: number, reason: string): ScanResult => {
    // Recount lines up to the offset (the running count is only exact at token starts).
    let l = 1;
    let ls = 0;
    for (let k = 0; k < offset && k < n; k++) {
      if (text.charCodeAt(k) === 10) {
        l++;
        ls = k + 1;
      }
    }
    return { ok: false, offset, line: l, column: offset - ls + 1, reason };
  };

  /** True when a value may start here. */
  const valueAllowed = (): boolean => {
    const top = stack[stack.length - 1];
    return top ? top.expect === 'value' : !rootDone;
  };
  /** Path of the value about to start (only built for shallow values: it allocates). */
  const valuePath = (): (string | number)[] => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    return top.kind === 'array' ? [...top.path, top.index] : [...top.path, top.key!];
  };

  const valueDone = (): void => {
    const top = stack[stack.length - 1];
    if (!top) rootDone = true;
    else top.expect = 'after';
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 34 /* " */) {
      const startOff = i;
      i++;
      for (;;) {
        // Jump straight to the next quote, backslash or control character.
        STRING_STOP.lastIndex = i;
        const m = STRING_STOP.exec(text);
        if (!m) {
          i = n;
          break;
        }
        i = m.index;
        const d = text.charCodeAt(i);
        if (d === 34) break;
        if (d === 92 /* \ */) {
          const e = text[i + 1];
          if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail(i, 'invalid \\u escape in string');
            const code = parseInt(hex, 16);
            if (code >= 0xdc00 && code <= 0xdfff) return fail(i, LONE_SURROGATE);
            if (code >= 0xd800 && code <= 0xdbff) {
              const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(text.slice(i + 6, i + 12));
              if (!low) return fail(i, LONE_SURROGATE);
              i += 12;
              continue;
            }
            i += 6;
            continue;
          }
          if (e === undefined || '"\\/bfnrt'.indexOf(e) < 0) return fail(i, 'invalid escape in string');
          i += 2;
          continue;
        }
        return fail(i, d === 10 ? 'unterminated string (line break inside a string)' : 'control character in string');
      }
      if (i >= n) return fail(startOff, 'unterminated string (file truncated?)');
      i++; // closing quote
      if (top && top.kind === 'object' && top.expect === 'key') {
        top.key = JSON.parse(text.slice(startOff, i)) as string;
        top.expect = 'colon';
        continue;
      }
      if (!valueAllowed()) return fail(startOff, 'unexpected string');
      if (stack.length <= maxDepth) spans.set(pathKey(...valuePath()), { line, start: startOff, end: i });
      valueDone();
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (!valueAllowed()) return fail(i, `unexpected '${text[i]}'`);
      if (stack.length >= MAX_NESTING) return fail(i, TOO_DEEP);
      const p = stack.length <= maxDepth ? valuePath() : [];
      const span = stack.length <= maxDepth ? { line, start: i, end: -1 } : null;
      if (span) spans.set(pathKey(...p), span);
      stack.push({
        kind: c === 123 ? 'object' : 'array',
        path: p,
        index: 0,
        key: null,
        expect: c === 123 ? 'key' : 'value',
        open: span,
      });
      openSpans.push(span);
      i++;
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      const want = c === 125 ? 'object' : 'array';
      if (!top || top.kind !== want) return fail(i, `unexpected '${text[i]}'`);
      // Closing is allowed right after opening (empty) or after a value; not after a comma.
      const empty =
        top.kind === 'array' ? top.index === 0 && top.expect === 'value' : top.key === null && top.expect === 'key';
      if (!empty && top.expect !== 'after') return fail(i, `unexpected '${text[i]}' (trailing comma or missing value)`);
      stack.pop();
      const span = openSpans.pop();
      if (span) span.end = i + 1;
      i++;
      valueDone();
      continue;
    }
    if (c === 44 /* , */) {
      if (!top || top.expect !== 'after') return fail(i, "unexpected ','");
      if (top.kind === 'array') {
        top.index++;
        top.expect = 'value';
      } else top.expect = 'key';
      i++;
      continue;
    }
    if (c === 58 /* : */) {
      if (!top || top.expect !== 'colon') return fail(i, "unexpected ':'");
      top.expect = 'value';
      i++;
      continue;
    }
    // Numbers and literals.
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) return fail(i, `unexpected character '${text[i]}'`);
    if (!valueAllowed()) return fail(i, `unexpected value '${m[0]}'`);
    if (stack.length <= maxDepth) spans.set(pathKey(...valuePath()), { line, start: i, end: i + m[0].length });
    i += m[0].length;
    valueDone();
  }
  void lineStart;
  if (stack.length > 0)
    return fail(n, 'unexpected end of file: unclosed ' + stack[stack.length - 1]!.kind + ' (file truncated?)');
  if (!rootDone) return fail(n, 'no JSON value in file');
  return { ok: true, spans };
}
