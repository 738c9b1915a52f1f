// JSON files of a model folder (config.json, tokenizer.json, the shard index) read with a
// located error: the file, and the line and column of a syntax error (datasets/import/jsonScan).
import fs from 'node:fs';
import { LabError } from '../errors';
import { scanJson } from '../datasets/import/jsonScan';

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError(
      'BAD_FILE',
      `${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { file },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const scan = scanJson(text, 0);
    const where = scan.ok ? '' : `:${scan.line}:${scan.column}`;
    const reason = scan.ok ? 'not valid JSON' : scan.reason;
    throw new LabError('BAD_FILE', `${file}${where}: malformed JSON: ${reason}`, {
      file,
      line: scan.ok ? undefined : scan.line,
    });
  }
}
