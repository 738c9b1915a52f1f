// Entry point of dataset import: files in, validated ExampleInput records plus located problems
// out (no storage here). See types.ts for the shapes and README-level notes in each parser.
import { stat } from 'node:fs/promises';
import type { ImportOptions, ImportResult, ImportFormat, ColumnMapping } from './types';
import { DEFAULT_MAX_RECORD_BYTES, IMPORT_FORMATS } from './types';
import { ImportCollector } from './collector';
import { ProgressTracker } from './progress';
import { ImportError } from './errors';
import { detectFormat, expandPaths } from './detect';
import { parseGeneric } from './generic';
import { parseFinetuneCot } from './finetuneCot';
import { parseStepByStep } from './stepByStep';
import { parseZeroShotLog } from './zeroShotLog';

export * from './types';
export { ImportError } from './errors';
export { detectFormat } from './detect';
export { suggestMapping } from './mapping';
export { parseChoicesFromQuestion } from './choices';
export { answerTypeForTask } from './taskKeys';

/**
 * Parses and validates the files of one import. All-or-nothing by default: when any record is
 * invalid, `ok` is false, `examples` is empty and `problems` lists everything found. With
 * `skipInvalid`, the valid examples come back with `skipped` listing the records left out.
 * Throws ImportError only when the import cannot run at all (unreadable file, undetectable or
 * unknown format, files that do not fit the format, no question/answer mapping).
 */
export async function parseImport(paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const startedAt = Date.now();
  if (options.format && !IMPORT_FORMATS.includes(options.format)) {
    throw new ImportError(`unknown format "${String(options.format)}" (expected ${IMPORT_FORMATS.join(', ')})`);
  }
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isFinite(maxRecordBytes) || maxRecordBytes < 64) throw new ImportError(`maxRecordBytes must be a number >= 64, got ${maxRecordBytes}`);
  const files = await expandPaths(paths);
  let totalBytes = 0;
  for (const f of files) {
    try {
      const st = await stat(f);
      if (!st.isFile()) throw new Error('not a regular file');
      totalBytes += st.size;
    } catch (err) {
      throw new ImportError(`cannot read file: ${(err as Error).message}`, f);
    }
  }
  const format: ImportFormat = options.format ?? (await detectFormat(files)).format;
  const collector = new ImportCollector();
  const progress = new ProgressTracker(totalBytes, options.onProgress);
  const common = { files, forcedType: options.answerType ?? null, maxRecordBytes, collector, progress };

  let datasetKey: string | null = null;
  let mapping: ColumnMapping | null = null;
  switch (format) {
    case 'jsonl':
    case 'json':
    case 'csv':
      mapping = await parseGeneric({ ...common, format, ...(options.mapping ? { mapping: options.mapping } : {}) });
      break;
    case 'finetune-cot':
      datasetKey = await parseFinetuneCot(common);
      break;
    case 'step-by-step':
      datasetKey = await parseStepByStep(common);
      break;
    case 'zero-shot-cot-log':
      datasetKey = await parseZeroShotLog(common);
      break;
  }
  progress.done(files[files.length - 1]!);
  return collector.finish({
    format,
    skipInvalid: options.skipInvalid ?? false,
    datasetKey,
    mapping,
    files: files.length,
    bytes: totalBytes,
    startedAt,
  });
}
