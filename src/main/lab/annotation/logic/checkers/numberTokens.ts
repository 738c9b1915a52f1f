// Finding numbers in teacher text: "$1,200.50", "3.5", "-4", "20%", and (in questions) number
// words ("three", "twenty-five", "a dozen", "twice", "half"). Shared by the checkers so they
// agree on what a number is and where it sits.

export interface NumberToken {
  start: number;
  end: number;
  /** The number as written, without $ , or % ("20%" -> 20). */
  raw: number;
  /** Its value: percentages divided by 100 ("20%" -> 0.2); otherwise equal to raw. */
  value: number;
  percent: boolean;
  /** Digits after the decimal point as written ("3.50" -> 2): the precision the writer claims. */
  decimals: number;
}

const NUMBER_BODY = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+`;

/**
 * Lexes a number starting exactly at `pos`; `allowSign` lets a leading "-" belong to the
 * number (the caller knows whether a minus there is an operator).
 */
export function lexNumberAt(text: string, pos: number, allowSign: boolean): NumberToken | null {
  const re = new RegExp(String.raw`(${allowSign ? '[-\u2212]?' : ''})(\$?)(${NUMBER_BODY})(\s?%|\s?percent\b)?`, 'y');
  re.lastIndex = pos;
  const m = re.exec(text);
  if (!m) return null;
  const end = pos + m[0].length;
  // A number glued to a word ("x2", "A1") or continuing a decimal ("3.5" read from "5") is not one.
  if (pos > 0 && /\w/.test(text[pos - 1]!)) return null;
  if (pos > 1 && text[pos - 1] === '.' && /\d/.test(text[pos - 2]!)) return null;
  const after = text.slice(end);
  // Ordinals ("3rd", "21st") and numbers glued to further digits are not quantities.
  if (!m[4] && /^(st|nd|rd|th)\b/i.test(after)) return null;
  if (/^[\d]/.test(after)) return null;
  const body = m[3]!.replace(/,/g, '');
  const sign = m[1] ? -1 : 1;
  const raw = sign * Number(body);
  if (!Number.isFinite(raw)) return null;
  const percent = Boolean(m[4]);
  const dot = body.indexOf('.');
  return { start: pos, end, raw, value: percent ? raw / 100 : raw, percent, decimals: dot < 0 ? 0 : body.length - dot - 1 };
}

/** Every number written with digits, left to right. Minus signs count only when not between operands. */
export function findNumbers(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/[\d$.\-\u2212]/.test(ch)) {
      const prev = text.slice(0, i).trimEnd();
      // A minus right after an operand is subtraction ("12 -5"); after words it is a sign ("then -4").
      const signAllowed = !/[\d)%]$/.test(prev);
      const tok = lexNumberAt(text, i, signAllowed);
      if (tok) {
        out.push(tok);
        i = tok.end;
        continue;
      }
    }
    i++;
  }
  return out;
}

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };
/** Words that introduce quantities without digits. Each may stand for several values. */
const MULTIPLIER_WORDS: Record<string, number[]> = {
  dozen: [12], dozens: [12], twice: [2], double: [2], doubled: [2], triple: [3], tripled: [3], thrice: [3],
  half: [0.5, 2], halves: [0.5, 2], quarter: [0.25, 4], quarters: [0.25, 4], third: [3, 1 / 3], thirds: [3, 1 / 3],
  fourth: [4, 0.25], fifth: [5, 0.2], tenth: [10, 0.1], percent: [100], pair: [2], pairs: [2], couple: [2],
  score: [20], once: [1], both: [2],
};

/** Values of number words in `text` ("twenty-five" -> 25, "three hundred" -> 300, "dozen" -> 12). */
export function findNumberWords(text: string): number[] {
  const words = text.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  const out: number[] = [];
  let current: number | null = null;
  const flush = (): void => {
    if (current !== null) out.push(current);
    current = null;
  };
  // Compound numbers: "twenty-five" -> 25, "two hundred five" -> 205, "three thousand" -> 3000.
  const canAdd = (small: number): boolean =>
    current !== null && ((current >= 20 && current < 100 && current % 10 === 0 && small < 10) || (current >= 100 && current % 100 === 0));
  for (const w of words) {
    const unit = UNITS[w];
    const ten = TENS[w];
    const scale = SCALES[w];
    if (unit !== undefined) {
      if (canAdd(unit)) current! += unit;
      else {
        flush();
        current = unit;
      }
    } else if (ten !== undefined) {
      if (canAdd(ten)) current! += ten;
      else {
        flush();
        current = ten;
      }
    } else if (scale !== undefined) {
      current = (current ?? 1) * scale;
    } else {
      flush();
      const mult = MULTIPLIER_WORDS[w];
      if (mult) out.push(...mult);
    }
  }
  flush();
  return out;
}

const FRACTION_WORDS: Record<string, number> = { half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5, fifths: 5 };

/**
 * Numbers written as words, with their positions: "seven" -> 7, "twenty-five" -> 25,
 * "one-third" / "two thirds" -> 1/3, 2/3. Only cardinal words (not "twice", "dozen"), so a
 * conclusion such as "Jo has three cards left" can be read; ordinals ("third day") are not
 * numbers unless a cardinal precedes them.
 */
export function findNumberWordTokens(text: string): { start: number; end: number; value: number }[] {
  const out: { start: number; end: number; value: number }[] = [];
  const re = /[A-Za-z]+/g;
  let cur: { start: number; end: number; value: number } | null = null;
  const flush = (): void => {
    if (cur) out.push(cur);
    cur = null;
  };
  for (const m of text.matchAll(re)) {
    const w = m[0].toLowerCase();
    const start = m.index;
    const end = start + m[0].length;
    const gap = cur ? text.slice(cur.end, start) : '';
    const joined = cur !== null && /^[\s-]$/.test(gap);
    const unit = UNITS[w];
    const ten = TENS[w];
    const frac = FRACTION_WORDS[w];
    const scale = SCALES[w];
    if (unit !== undefined || ten !== undefined) {
      const v = (unit ?? ten)!;
      if (joined && cur!.value >= 20 && cur!.value < 100 && cur!.value % 10 === 0 && v < 10) cur = { ...cur!, end, value: cur!.value + v };
      else {
        flush();
        cur = { start, end, value: v };
      }
    } else if (joined && frac !== undefined && cur!.value >= 1 && cur!.value < 10) {
      cur = { ...cur!, end, value: cur!.value / frac };
      flush();
    } else if (joined && scale !== undefined) {
      cur = { ...cur!, end, value: cur!.value * scale };
    } else flush();
  }
  flush();
  return out;
}
