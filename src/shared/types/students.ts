// Registered pretrained students (Hugging Face model folders), as the registry, the CLI and the
// Students section show them.

export interface StudentFileRecord {
  /** Path relative to the folder. */
  name: string;
  bytes: number;
  sha256: string;
}

/** ok: the folder is where it was with the same files; missing: moved or deleted; changed: files differ. */
export type StudentFolderStatus = 'ok' | 'missing' | 'changed';

export interface StudentSummaryRow {
  id: number;
  name: string;
  dir: string;
  family: string;
  /** A student (causal LM) or a sentence encoder (PST's `external` e(r)). */
  kind: 'causal' | 'encoder';
  architecture: string;
  modelType: string;
  parameterCount: number;
  vocabSize: number;
  context: number;
  hidden: number;
  layers: number;
  heads: number;
  tiedEmbeddings: boolean;
  /** tokenizer.json or vocab.json+merges.txt, and the tokenizer's own size (with added tokens). */
  tokenizer: string;
  tokenizerSize: number;
  /** Weight dtypes on disk. */
  dtypes: string[];
  /** sha256 over the sorted (file, sha256) list: one hash identifying the whole student. */
  fingerprint: string;
  createdAt: string;
  status: StudentFolderStatus;
  /** Why the status is not ok (which file is missing or differs). */
  statusReason: string | null;
}

export interface StudentDetail extends StudentSummaryRow {
  files: StudentFileRecord[];
  /** config.json as registered. */
  config: Record<string, unknown>;
}

/** A trained student written back as a Hugging Face folder (students.export). */
export interface StudentExport {
  run: number;
  checkpoint: string;
  dir: string;
  files: StudentFileRecord[];
  /** Embedding rows of the exported model (the base vocabulary plus the method markers). */
  vocabSize: number;
  markers: string[];
}
