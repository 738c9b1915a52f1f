// A trained pretrained student written back as a Hugging Face folder (docs/methods.md, "Export"):
// config.json (vocab_size grown by the method markers), model.safetensors with the folder's own
// tensor names and layouts (LoRA merged, marker rows appended to the vocabulary tables), the
// tokenizer files with the markers as added special tokens, and a README card. Written into a
// staging folder first, then renamed: a failed export leaves nothing behind.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StudentExport } from '../../../shared/types/students';
import type { Db } from '../db/database';
import { fsyncDir } from '../fsAtomic';
import { LabError } from '../errors';
import { loadCheckpoint, previousCheckpointDir } from '../training/checkpoint';
import { encodeSafetensors, type SafeTensor } from '../training/safetensors';
import { checkpointValues, createNetParams, studentOfCheckpoint } from '../training/student';
import { sha256File, transposeMatrix } from './folder';
import { readJsonFile } from './jsonFile';
import type { MarkerTokenizer } from './markers';
import { gpt2TokenizerJson, parseMerges, TOKENIZER_FILES } from './tokenizer';
import { loraText, type PretrainedNet } from './trainable';

export interface ExportCard {
  /** Lines of the README card (run, method, data version...). */
  about: [string, string][];
}

export interface ExportResult {
  dir: string;
  files: { name: string; bytes: number; sha256: string }[];
  vocabSize: number;
  markers: string[];
}

/** The folder's tokenizer.json structure (built from vocab.json + merges.txt when that is what it has), markers added. */
function tokenizerWithMarkers(dir: string, tok: MarkerTokenizer): Record<string, unknown> {
  const file = path.join(dir, 'tokenizer.json');
  const json = fs.existsSync(file)
    ? (readJsonFile(file) as Record<string, unknown>)
    : gpt2TokenizerJson(
        readJsonFile(path.join(dir, 'vocab.json')) as Record<string, number>,
        parseMerges(fs.readFileSync(path.join(dir, 'merges.txt'), 'utf8'), path.join(dir, 'merges.txt')),
      );
  const added = Array.isArray(json['added_tokens']) ? [...(json['added_tokens'] as unknown[])] : [];
  tok.markers.forEach((content, i) =>
    added.push({
      id: tok.firstId + i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }),
  );
  return { ...json, added_tokens: added };
}

/** Writes the student of a checkpoint directory to `outDir` (which must not exist or be empty). */
export async function exportStudent(checkpointDir: string, outDir: string, card: ExportCard): Promise<ExportResult> {
  const out = path.resolve(outDir);
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0))
    throw new LabError('CONFLICT', `${out}: exists and is not an empty folder; choose a new --out`, { field: 'out' });
  const ck = loadCheckpoint(checkpointDir);
  if (!('kind' in ck.state.model) || ck.state.model.kind !== 'hf')
    throw new LabError(
      'INVALID_INPUT',
      `${checkpointDir}: this run trained the lab's char GPT, not a pretrained student; only pretrained students export as Hugging Face folders`,
    );
  const { net: base, tok } = studentOfCheckpoint(ck.state);
  const net = base as PretrainedNet;
  const marker = tok as MarkerTokenizer;
  const { folder } = net;
  const params = createNetParams(net, checkpointValues(net, ck), 'export/');
  let merged: Map<string, Float32Array>;
  try {
    merged = await net.mergedValues(params);
  } finally {
    Object.values(params).forEach((v) => v.dispose());
  }

  const staging = `${out}.staging-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true });
  try {
    const tensors = new Map<string, SafeTensor>();
    for (const [name, { spec }] of folder.tensors) {
      const data = merged.get(name)!;
      const rows = net.tables.includes(name) ? marker.size : null;
      const shape = rows !== null ? [rows, spec.shape[1]!] : spec.shape;
      tensors.set(folder.family.exportName(name, folder.prefixed), {
        dtype: 'F32',
        shape,
        // In memory nn.Linear weights are [in, out]; on disk PyTorch's [out, in].
        data: spec.transpose ? transposeMatrix(data, spec.shape[1]!, spec.shape[0]!) : data,
      });
    }
    fs.writeFileSync(path.join(staging, 'model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
    const config = readJsonFile(path.join(folder.dir, 'config.json')) as Record<string, unknown>;
    fs.writeFileSync(
      path.join(staging, 'config.json'),
      JSON.stringify({ ...config, vocab_size: marker.size, torch_dtype: 'float32' }, null, 2),
    );
    for (const f of TOKENIZER_FILES)
      if (f !== 'tokenizer.json' && fs.existsSync(path.join(folder.dir, f)))
        fs.copyFileSync(path.join(folder.dir, f), path.join(staging, f));
    fs.writeFileSync(path.join(staging, 'tokenizer.json'), JSON.stringify(tokenizerWithMarkers(folder.dir, marker)));
    const record = net.describe();
    const lines = [
      `# ${path.basename(out)}`,
      '',
      `Exported by PST Lab from a trained ${record.architecture} student (docs/methods.md, "Export").`,
      '',
      ...card.about.map(([k, v]) => `- ${k}: ${v}`),
      `- base student: ${record.name ?? record.dir} (${record.dir})`,
      `- training: ${record.lora ? `${loraText(record.lora)} (merged into the weights)` : 'full fine-tuning'}`,
      `- checkpoint: ${ck.dir} (step ${ck.state.training.step}, seed ${ck.state.training.seed})`,
      `- method markers, added special tokens ${marker.firstId}..${marker.size - 1}: ${marker.markers.join(' ')}`,
      '',
      'Base student files (SHA-256):',
      '',
      ...record.files.map((f) => `- ${f.name}: ${f.sha256}`),
      '',
    ];
    fs.writeFileSync(path.join(staging, 'README.md'), lines.join('\n'));
    for (const f of fs.readdirSync(staging)) {
      const fd = fs.openSync(path.join(staging, f), 'r');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    if (fs.existsSync(out)) fs.rmdirSync(out);
    fs.renameSync(staging, out);
    fsyncDir(path.dirname(out));
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const files = fs
    .readdirSync(out)
    .sort()
    .map((name) => ({ name, bytes: fs.statSync(path.join(out, name)).size, sha256: sha256File(path.join(out, name)) }));
  return { dir: out, files, vocabSize: marker.size, markers: [...marker.markers] };
}

/** `students.export`: a run's best (else last) checkpoint as a Hugging Face folder. */
export async function exportRunStudent(db: Db, runId: number, outDir: string): Promise<StudentExport> {
  const row = db
    .prepare(
      `SELECT r.status, r.checkpoint_dir, r.method, r.seed, r.spec, d.name AS dataset, v.number AS version, v.content_hash AS hash
         FROM runs r JOIN datasets d ON d.id = r.dataset_id JOIN dataset_versions v ON v.id = r.version_id WHERE r.id = ?`,
    )
    .get(runId) as
    | {
        status: string;
        checkpoint_dir: string | null;
        method: string;
        seed: number;
        dataset: string;
        version: number;
        hash: string | null;
      }
    | undefined;
  if (!row) throw new LabError('NOT_FOUND', `no run ${runId}`);
  const whole = (d: string) =>
    fs.existsSync(path.join(d, 'checkpoint.json')) || fs.existsSync(previousCheckpointDir(d));
  const checkpoint = row.checkpoint_dir
    ? [path.join(row.checkpoint_dir, 'best'), path.join(row.checkpoint_dir, 'last')].find(whole)
    : undefined;
  if (!checkpoint) throw new LabError('NOT_FOUND', `run ${runId} has no checkpoint to export`);
  const r = await exportStudent(checkpoint, outDir, {
    about: [
      ['run', `${runId} (${row.status})`],
      ['method', row.method],
      ['seed', String(row.seed)],
      ['data', `${row.dataset} v${row.version}${row.hash ? ` (content hash ${row.hash})` : ''}`],
    ],
  });
  return { run: runId, checkpoint, ...r };
}
