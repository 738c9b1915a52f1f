// Escaping for every output language of the reports. All user text (dataset names, questions,
// rationales, descriptions, labels) goes through one of these before it reaches a file.

/** Text and attribute values in HTML (quotes included, so it is safe inside attributes too). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside <script type="application/json">: every '<' becomes \u003c so that no "</script" or
 * "<!--" can end or confuse the element; U+2028/2029 are escaped for old JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A Markdown table cell or paragraph text. Only what a renderer would interpret is escaped, so that
 * the raw file stays readable ("[70.0, 74.0]", "< 0.001"): the start of an HTML tag, comment or
 * entity, emphasis/code/strikethrough/pipe characters, and the "](" and "][" of links. Line breaks
 * become spaces because a table row is one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/([\\`*_|~])/g, '\\$1')
    .replace(/\](?=[([])/g, '\\]')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** A paragraph of user text: also escapes a block marker (# > - +) at its start. */
export function escapeMarkdownParagraph(text: string): string {
  return escapeMarkdown(text).replace(/^(\s*)([#>+-])/, '$1\\$2');
}

/** A fenced code block whose fence is longer than any backtick run inside the content. */
export function markdownCodeBlock(content: string, lang = ''): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${content}\n${fence}`;
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // In the default OT1 encoding '<' and '>' print as inverted punctuation.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  // Symbols our own labels use ("λ=0.5", "±"), which pdfLaTeX cannot typeset as Unicode text.
  λ: '$\\lambda$',
  '±': '$\\pm$',
};

/** LaTeX text mode. */
export function escapeLatex(text: string): string {
  return text.replace(/[\\&%$#_{}~^<>λ±]/g, (c) => LATEX_SPECIALS[c]!).replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, or line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (starting with = + - @, or a tab / carriage return)
 * gets a leading apostrophe; real numbers are written as numbers and never guarded.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(value);
  }
  let text = typeof value === 'boolean' ? (value ? 'true' : 'false') : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',');
}
