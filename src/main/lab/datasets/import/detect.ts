// Format auto-detection from file names and the first bytes of each file, so the UI/CLI can show
// what will be imported (format, role of each file, guessed column mapping) before committing.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { ColumnMapping, DetectResult, DetectedFile, FileRole, ImportFormat } from './types';
import { ImportError } from './errors';
import { suggestMapping } from './mapping';
import { STEP_BY_STEP_DATA_FILE, STEP_BY_STEP_LLM_FILE } from './stepByStep';
import { scanJson } from './jsonScan';
import { isFinetunePromptRecord } from './finetuneCotPrompts';

const PEEK_BYTES = 64 * 1024;

async function peek(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, PEEK_BYTES, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } finally {
    await fh.close();
  }
}

/** Directories are expanded to their files (and an llm/ subfolder), hidden files skipped. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      throw new ImportError(`cannot read file: ${(err as Error).message}`, p);
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    for (const entry of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isFile()) out.push(join(p, entry.name));
      else if (entry.isDirectory() && entry.name === 'llm') {
        for (const f of (await readdir(join(p, 'llm'))).sort()) if (!f.startsWith('.')) out.push(join(p, 'llm', f));
      }
    }
  }
  if (out.length === 0) throw new ImportError('no files to import');
  return out;
}

interface FileGuess {
  path: string;
  format: ImportFormat | null;
  role: FileRole;
  confidence: number;
  reason: string;
  columns?: string[];
}

/**
 * JSON Lines when the first non-empty line is a complete JSON object on its own. Returns the keys
 * seen in the first lines that parse (bad lines are the parser's business, not detection's).
 */
function jsonLinesKeys(text: string): string[] | null {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  const keys = new Set<string>();
  let firstOk = false;
  lines.forEach((l, i) => {
    try {
      const v = JSON.parse(l) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        Object.keys(v).forEach((k) => keys.add(k));
        if (i === 0) firstOk = true;
      }
    } catch {
      // a malformed or cut-off line: reported with its line number at import
    }
  });
  return firstOk ? [...keys] : null;
}

/** Keys of the first element of a JSON array that starts within the peeked text. */
function firstArrayElementKeys(text: string): string[] | null {
  const start = text.indexOf('{', text.indexOf('['));
  if (start < 0) return null;
  // Find the end of the first object by scanning growing prefixes cheaply: let the scanner tell.
  let depth = 0;
  let inStr = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        const slice = text.slice(start, i + 1);
        if (!scanJson(slice, 0).ok) return null;
        const v = JSON.parse(slice) as Record<string, unknown>;
        return Object.keys(v);
      }
    }
  }
  return null;
}

async function guessFile(path: string): Promise<FileGuess> {
  const name = basename(path);
  const ext = extname(name).toLowerCase();
  const text = await peek(path);
  const head = text.trimStart();
  if (STEP_BY_STEP_LLM_FILE.test(name) && head.startsWith('[')) {
    return {
      path,
      format: 'step-by-step',
      role: 'step-by-step-llm',
      confidence: 0.95,
      reason: `${name} is a step-by-step teacher output array (<split>_CoT_<i>.json)`,
    };
  }
  if (
    /^(\*{5,}\s*\n)?Namespace\(/.test(head) ||
    (/^\*{5,}\s*$/m.test(head) && /^Q:/m.test(head) && /^GT\s*:/m.test(head))
  ) {
    return {
      path,
      format: 'zero-shot-cot-log',
      role: 'zero-shot-cot-log',
      confidence: 0.95,
      reason: `${name} has the Zero-shot-CoT log header / sample blocks`,
    };
  }
  if (ext === '.log') {
    return {
      path,
      format: 'zero-shot-cot-log',
      role: 'zero-shot-cot-log',
      confidence: 0.6,
      reason: `${name} has a .log extension`,
    };
  }
  if (head.startsWith('{')) {
    const first = head.split('\n')[0]!;
    try {
      if (isFinetunePromptRecord(JSON.parse(first))) {
        return {
          path,
          format: 'finetune-cot',
          role: 'finetune-cot-prompts',
          confidence: 0.9,
          reason: `${name} holds {"prompt": "...\\n\\n###\\n\\n", "completion": "... --> ... END"} lines (Fine-tune-CoT fine-tune file)`,
        };
      }
    } catch {
      // not one JSON object per line
    }
  }
  if ((ext === '.jsonl' || ext === '.ndjson') && head !== '') {
    const keys = jsonLinesKeys(text);
    return {
      path,
      format: 'jsonl',
      role: 'records',
      confidence: 0.9,
      reason: `${name} has a JSON Lines extension`,
      ...(keys ? { columns: keys } : {}),
    };
  }
  if (head.startsWith('{')) {
    if (/^\{\s*"(train|test|val|valid)"\s*:\s*\[/.test(head)) {
      return {
        path,
        format: 'finetune-cot',
        role: 'finetune-cot-split',
        confidence: 0.9,
        reason: `${name} is a split file {"train": [...], "test": [...]}`,
      };
    }
    const jsonlKeys = jsonLinesKeys(text);
    // A one-line Fine-tune-CoT file is also "one JSON object per line": its keys tell it apart.
    if (jsonlKeys && !(jsonlKeys.includes('data') && jsonlKeys.includes('metadata'))) {
      if (STEP_BY_STEP_DATA_FILE.test(name)) {
        return {
          path,
          format: 'step-by-step',
          role: 'step-by-step-data',
          confidence: 0.7,
          reason: `${name} is JSON Lines named <name>_<split>.json (Distilling step-by-step)`,
          columns: jsonlKeys,
        };
      }
      return {
        path,
        format: 'jsonl',
        role: 'records',
        confidence: ext === '.jsonl' || ext === '.ndjson' ? 0.95 : 0.85,
        reason: `${name} holds one JSON object per line`,
        columns: jsonlKeys,
      };
    }
    if (/"metadata"\s*:/.test(head) || /"data"\s*:/.test(head)) {
      if (/"data"\s*:\s*\[/.test(head)) {
        return {
          path,
          format: 'finetune-cot',
          role: 'finetune-cot-dataset',
          confidence: /"dataset_key"/.test(head) ? 0.95 : 0.7,
          reason: `${name} has {"metadata", "data": [...]} (Fine-tune-CoT dataset)`,
        };
      }
      if (/"data"\s*:\s*\{/.test(head)) {
        return {
          path,
          format: 'finetune-cot',
          role: 'finetune-cot-completions',
          confidence: 0.9,
          reason: `${name} has {"metadata", "data": {"<index>": [...]}} (Fine-tune-CoT completions)`,
        };
      }
    }
    return {
      path,
      format: 'json',
      role: 'records',
      confidence: 0.4,
      reason: `${name} is a JSON object of unknown layout`,
    };
  }
  if (head.startsWith('[')) {
    const keys = firstArrayElementKeys(head);
    return {
      path,
      format: 'json',
      role: 'records',
      confidence: keys ? 0.9 : 0.6,
      reason: `${name} is a JSON array`,
      ...(keys ? { columns: keys } : {}),
    };
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt' || /^[^\n]*,[^\n]*\n/.test(head)) {
    let columns: string[] | undefined;
    try {
      const rows = parseCsvSync(head.split(/\r?\n/)[0] ?? '', { relax_column_count: true }) as string[][];
      columns = rows[0]?.map((c) => c.trim());
    } catch {
      columns = undefined;
    }
    return {
      path,
      format: 'csv',
      role: 'records',
      confidence: ext === '.csv' ? 0.9 : 0.5,
      reason: `${name} looks like CSV with a header row`,
      ...(columns ? { columns } : {}),
    };
  }
  if (head === '') {
    const byExt: Record<string, ImportFormat> = {
      '.jsonl': 'jsonl',
      '.ndjson': 'jsonl',
      '.json': 'json',
      '.csv': 'csv',
      '.log': 'zero-shot-cot-log',
    };
    const f = byExt[ext] ?? null;
    return {
      path,
      format: f,
      role: f ? (f === 'zero-shot-cot-log' ? 'zero-shot-cot-log' : 'records') : 'ignored',
      confidence: f ? 0.3 : 0,
      reason: `${name} is empty${f ? `; format guessed from the extension` : ''}`,
    };
  }
  return { path, format: null, role: 'ignored', confidence: 0, reason: `${name}: unrecognised content` };
}

/** The first file whose guessed format is not the most common one (where a conflict is located). */
function oddOneOut(guesses: readonly FileGuess[]): string {
  const counts = new Map<ImportFormat | null, number>();
  for (const g of guesses) counts.set(g.format, (counts.get(g.format) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  return (guesses.find((g) => g.format !== common) ?? guesses[0]!).path;
}

/** Detects the format of a set of files. Throws ImportError when it cannot decide. */
export async function detectFormat(paths: readonly string[]): Promise<DetectResult> {
  const files = await expandPaths(paths);
  const guesses = await Promise.all(files.map(guessFile));
  const formats = new Set(guesses.map((g) => g.format).filter((f): f is ImportFormat => f !== null));
  // A step-by-step data file alone is also valid JSON Lines: the layout wins when names say so.
  if (
    formats.has('step-by-step') &&
    formats.has('jsonl') &&
    guesses.every((g) => g.format !== 'jsonl' || STEP_BY_STEP_DATA_FILE.test(basename(g.path)))
  ) {
    formats.delete('jsonl');
  }
  // Fine-tune-CoT dataset files and their JSON objects of unknown layout do not mix with others.
  // One damaged file among files that agree (a Fine-tune-CoT folder with a truncated completion
  // file): the format's parser reports that file with its line, better than a format conflict.
  let strong = new Set(guesses.filter((g) => g.format !== null && g.confidence >= 0.7).map((g) => g.format!));
  let adoptBelow = 0.7;
  // Likewise a file of a multi-file layout damaged into something that reads as generic records
  // (a split.json whose key changed now looks like one JSON Lines record): every other file names
  // the layout, so the file is read with it and its problem located.
  const layouts = [...strong].filter((f) => f === 'finetune-cot' || f === 'step-by-step');
  if (
    strong.size > 1 &&
    layouts.length === 1 &&
    guesses.every((g) => g.format === layouts[0] || g.format === null || (g.role === 'records' && g.confidence < 0.9))
  ) {
    strong = new Set(layouts);
    adoptBelow = 0.9;
  }
  if ((formats.size > 1 || guesses.some((g) => g.format === null)) && strong.size === 1 && guesses.length > 1) {
    const f = [...strong][0]!;
    for (const g of guesses) {
      if (g.format !== f && g.confidence < adoptBelow) {
        g.format = f;
        g.role =
          f === 'finetune-cot'
            ? 'finetune-cot-dataset'
            : f === 'step-by-step'
              ? 'step-by-step-data'
              : f === 'zero-shot-cot-log'
                ? 'zero-shot-cot-log'
                : 'records';
        g.reason = `${basename(g.path)}: content not recognised (${g.reason}); read as ${f} with the other files, so its problems are located`;
      }
    }
    formats.clear();
    formats.add(f);
  }
  if (formats.size === 0) {
    const unknown = guesses[0]!;
    throw new ImportError(
      `cannot detect the format: ${unknown.reason}; choose one of finetune-cot, step-by-step, zero-shot-cot-log, jsonl, json, csv`,
      unknown.path,
    );
  }
  if (formats.size > 1) {
    throw new ImportError(
      `files look like different formats (${guesses.map((g) => `${g.path}: ${g.format ?? 'unknown'} (${g.reason})`).join('; ')}); import them separately or force a format`,
      oddOneOut(guesses),
    );
  }
  const format = [...formats][0]!;
  const unknown = guesses.find((g) => g.format === null);
  if (unknown) throw new ImportError(`cannot detect the format of this file: ${unknown.reason}`, unknown.path);
  const detected: DetectedFile[] = guesses.map((g) => ({
    path: g.path,
    role: format === 'step-by-step' && g.role === 'records' ? 'step-by-step-data' : g.role,
  }));
  const confidence = Math.min(...guesses.map((g) => g.confidence));
  const result: DetectResult = {
    format,
    confidence,
    reason: [...new Set(guesses.map((g) => g.reason))].join('; '),
    files: detected,
  };
  if (format === 'jsonl' || format === 'json' || format === 'csv') {
    const columns = [...new Set(guesses.flatMap((g) => g.columns ?? []))];
    result.columns = columns;
    result.suggestedMapping = suggestMapping(columns) as Partial<ColumnMapping>;
  }
  return result;
}
