// PST's 'external' encoder (docs/methods.md, "PST semantic targets"): e(r) is a frozen pretrained
// sentence encoder's pooled embedding of r (a BERT-family folder, students/encoder.ts). The
// encoding is done once per (dataset version, rationale text set, encoder files, pooling) and
// cached under the lab's data dir, so every run and seed of an experiment on the same data reuses
// it. The folder must still hold exactly the files (SHA-256) it had when the run was created.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StudentFileRecord } from '../../../../shared/types/students';
import { LabError } from '../../errors';
import { writeFileAtomic } from '../../fsAtomic';
import { SentenceEncoder, readPooling, type Pooling } from '../../students/encoder';
import { ENCODER_FILES, inspectStudentFolder, sha256File, type StudentFolder } from '../../students/folder';
import { studentFingerprint } from '../../students/registry';
import { decodeSafetensors, encodeSafetensors } from '../safetensors';
import type { SemanticEncoder } from './encoder';

/** The external encoder of a run, resolved by the lab when the run is created. */
export interface ExternalEncoderRef {
  /** As the user named it: a registered encoder's name, or the folder. */
  name: string;
  dir: string;
  /** Its files with their SHA-256, as registered (or as hashed when the run was created). */
  files: StudentFileRecord[];
  /** SHA-256 over the sorted (file, SHA-256) list. */
  fingerprint: string;
  /** Where targets are cached (<data dir>/semantic-cache); null = not cached (benchmarks, probes). */
  cacheDir: string | null;
  /** The dataset version the run trains on (part of the cache key), e.g. "dataset 3 v2". */
  dataVersion: string | null;
}

/** Version of the cache files' layout (part of the key). */
const CACHE_FORMAT = 'pst-lab external targets 1';

const short = (h: string): string => h.slice(0, 12);

/**
 * Refuses a folder that no longer holds the files the run was created with: a missing file, a
 * file whose SHA-256 differs, or a pooling file that appeared since. Hashes come first so a
 * changed folder is reported as changed, not as whatever it now fails to parse.
 */
export function checkEncoderFiles(ref: ExternalEncoderRef): StudentFolder {
  const where = `external encoder ${ref.name}`;
  const again = 'register it again (students remove, then students add) and start a new run';
  for (const f of ref.files) {
    const p = path.join(ref.dir, f.name);
    if (!fs.existsSync(p))
      throw new LabError('CONFLICT', `${where}: ${p} is missing (it was there when the run was created); ${again}`, {
        file: p,
      });
    const now = sha256File(p);
    if (now !== f.sha256)
      throw new LabError(
        'CONFLICT',
        `${where}: ${p} has changed since the run was created (SHA-256 ${short(now)}… now, ${short(f.sha256)}… then); ${again}`,
        { file: p },
      );
  }
  for (const name of ENCODER_FILES) {
    const p = path.join(ref.dir, name);
    if (fs.existsSync(p) && !ref.files.some((f) => f.name === name))
      throw new LabError(
        'CONFLICT',
        `${where}: ${p} appeared since the run was created (it changes the pooling); ${again}`,
        {
          file: p,
        },
      );
  }
  return { ...inspectStudentFolder(ref.dir, { kind: 'encoder', hash: false }), files: ref.files };
}

/** Non-empty rationale texts, trimmed, unique and sorted: the set the cache key and cache rows follow. */
export function rationaleTextSet(rationales: readonly (string | null | undefined)[]): string[] {
  const set = new Set<string>();
  for (const r of rationales) if (typeof r === 'string' && r.trim() !== '') set.add(r.trim());
  return [...set].sort();
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The cache key: SHA-256 over the layout version, dataset version, texts, encoder files and pooling. */
export function externalCacheKey(ref: ExternalEncoderRef, texts: readonly string[], pooling: Pooling): string {
  return sha256(
    JSON.stringify({
      format: CACHE_FORMAT,
      data: ref.dataVersion,
      texts: sha256(texts.join('\u0000')),
      encoder: ref.fingerprint,
      pooling,
    }),
  );
}

function readCache(file: string, key: string, texts: readonly string[], dim: number): Float32Array[] | null {
  if (!fs.existsSync(file)) return null;
  try {
    const { tensors, metadata } = decodeSafetensors(fs.readFileSync(file), file);
    const rows = tensors.get('rows');
    if (metadata['key'] !== key || !rows || rows.shape[0] !== texts.length || rows.shape[1] !== dim) return null;
    const data = rows.data as Float32Array;
    return texts.map((_, i) => data.slice(i * dim, (i + 1) * dim));
  } catch {
    // An unreadable cache file is recomputed and replaced (the cache is never the only copy of anything).
    return null;
  }
}

/** e(r) from a frozen pretrained sentence encoder, looked up in rows computed (or read from the cache) up front. */
export class ExternalEncoder implements SemanticEncoder {
  readonly name = 'external';
  readonly timing: { encodeMsPerText: number | null };

  private constructor(
    readonly config: Record<string, unknown>,
    readonly dim: number,
    private readonly rows: Map<string, Float32Array>,
    encodeMsPerText: number | null,
  ) {
    this.timing = { encodeMsPerText };
  }

  /**
   * Checks the encoder's files, then returns an encoder holding e(r) for every text of `rationales`:
   * from the cache when the key matches, else encoded now (and cached).
   */
  static prepare(ref: ExternalEncoderRef, rationales: readonly (string | null | undefined)[]): ExternalEncoder {
    const folder = checkEncoderFiles(ref);
    const fingerprint = studentFingerprint(folder.files);
    if (fingerprint !== ref.fingerprint)
      throw new LabError('CONFLICT', `external encoder ${ref.name}: its file list does not match its fingerprint`);
    const pooling = readPooling(folder.dir, folder.summary.context);
    const texts = rationaleTextSet(rationales);
    const dim = folder.summary.hidden;
    const key = externalCacheKey(ref, texts, pooling);
    const file = ref.cacheDir ? path.join(ref.cacheDir, `${key}.safetensors`) : null;
    let rows = file ? readCache(file, key, texts, dim) : null;
    const cache: 'hit' | 'miss' | 'off' = !file ? 'off' : rows ? 'hit' : 'miss';
    let msPerText: number | null = null;
    let cut: number | null = null;
    let cacheError: string | null = null;
    if (!rows) {
      const enc = SentenceEncoder.open(folder);
      try {
        const t0 = performance.now();
        rows = enc.encode(texts);
        msPerText = texts.length ? (performance.now() - t0) / texts.length : null;
        cut = texts.filter((t) => enc.cuts(t)).length;
      } finally {
        enc.dispose();
      }
      if (file) {
        const data = new Float32Array(texts.length * dim);
        rows.forEach((r, i) => data.set(r, i * dim));
        // The cache only saves time: a folder this process cannot write (a remote worker) does not fail the run.
        try {
          writeFileAtomic(
            file,
            encodeSafetensors(new Map([['rows', { dtype: 'F32', shape: [texts.length, dim], data }]]), {
              format: CACHE_FORMAT,
              key,
              data_version: ref.dataVersion ?? '',
              encoder: ref.name,
              encoder_fingerprint: ref.fingerprint,
              pooling: JSON.stringify(pooling),
              texts: String(texts.length),
              texts_cut: String(cut),
            }),
          );
        } catch (err) {
          cacheError = `${file}: ${(err as Error).message}`;
        }
      }
    }
    const config: Record<string, unknown> = {
      source: 'external',
      encoder: ref.name,
      dir: ref.dir,
      architecture: folder.summary.architecture,
      fingerprint: ref.fingerprint,
      files: ref.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      pooling,
      dataVersion: ref.dataVersion,
      cacheKey: key,
      cache,
      ...(cacheError ? { cacheError } : {}),
      texts: texts.length,
      // Texts longer than the encoder's max_seq_length: only their first tokens are encoded (counted when encoded).
      ...(cut === null ? {} : { textsCut: cut }),
    };
    return new ExternalEncoder(config, dim, new Map(texts.map((t, i) => [t, rows[i]!])), msPerText);
  }

  encode(rationales: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(
      rationales.map((r) => {
        const row = this.rows.get(r.trim());
        if (!row) throw new Error(`external encoder: no target for a rationale outside the run's train/val set`);
        return row;
      }),
    );
  }

  dispose(): void {
    this.rows.clear();
  }
}
