// Character-level tokenizer. Students in this lab are tiny and trained from scratch on one task,
// so characters keep the vocabulary small (about a hundred symbols) and need no trained merges.
// Special tokens mark the segments of every method's layout (docs/methods.md, "Sequences and loss masks").
// The vocabulary is fixed, not learned from the training text (docs/methods.md, "Vocabulary"):
// the fixed specials, then BASE_CHARACTERS, then any other characters of the data, then the SEM
// tokens, so the same character has the same id in every run of a comparison.

export const SPECIAL = {
  PAD: '<pad>',
  UNK: '<unk>',
  SEP: '<sep>',
  EOS: '<eos>',
  ANS: '<ans>',
  RAT: '<rat>',
  PREDICT: '[predict]',
  EXPLAIN: '[explain]',
} as const;

/**
 * Characters every vocabulary contains, in this order: newline, tab, then printable ASCII
 * (space to '~'). Generated tasks and their injected hallucinations use only these, so a
 * generated dataset's vocabulary never depends on its hallucination rate.
 */
export const BASE_CHARACTERS: readonly string[] = [
  '\n',
  '\t',
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
];

/** Name of the i-th semantic token (1-based, as in the paper's SEM_1..SEM_k). */
export function semToken(i: number): string {
  return `<sem_${i}>`;
}

const FIXED_SPECIALS: readonly string[] = Object.values(SPECIAL);

function semTokenNames(semTokens: number): string[] {
  return Array.from({ length: semTokens }, (_, i) => semToken(i + 1));
}

/** Characters of `texts` that BASE_CHARACTERS lacks, in code point order. */
export function extraCharacters(texts: Iterable<string>): string[] {
  const base = new Set(BASE_CHARACTERS);
  const extra = new Set<string>();
  for (const t of texts) for (const ch of t) if (!base.has(ch)) extra.add(ch);
  return [...extra].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/**
 * What the methods need of a tokenizer (docs/methods.md, "Training a pretrained student"): text
 * to ids and back, the id of each special marker, padding, and a description kept with
 * checkpoints. CharTokenizer is one; a pretrained student's MarkerTokenizer (students/) another.
 */
export interface Tokenizer {
  readonly size: number;
  readonly semTokens: number;
  readonly pad: number;
  id(token: string): number;
  encode(text: string): number[];
  decode(ids: readonly number[], skipSpecial?: boolean): string;
  isSpecial(id: number): boolean;
  toJSON(): TokenizerJSON;
}

/** A pretrained student's markers (its text tokenizer is the folder's, recorded with the student). */
export interface MarkerTokenizerJSON {
  kind: 'hf';
  /** Id of the first marker (the folder's embedding rows). */
  firstId: number;
  semTokens: number;
  markers: string[];
}

export type TokenizerJSON = CharTokenizerJSON | MarkerTokenizerJSON;

export interface CharTokenizerJSON {
  kind: 'char';
  /**
   * Id -> token; ids are positions. The fixed specials first, then characters, then SEM_1..SEM_k
   * (checkpoints written before the fixed vocabulary have the SEM tokens right after the specials).
   */
  vocab: string[];
  semTokens: number;
}

export class CharTokenizer implements Tokenizer {
  readonly vocab: readonly string[];
  readonly semTokens: number;
  private readonly ids: Map<string, number>;
  private readonly specialIds: Set<number>;

  constructor(vocab: readonly string[], semTokens: number) {
    this.vocab = vocab;
    this.semTokens = semTokens;
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    if (this.ids.size !== vocab.length) throw new Error('tokenizer vocabulary has duplicate entries');
    FIXED_SPECIALS.forEach((tok, i) => {
      if (vocab[i] !== tok) throw new Error(`tokenizer vocabulary entry ${i} should be the special token ${tok}, got '${vocab[i]}'`);
    });
    const sems = semTokenNames(semTokens);
    for (const t of sems) if (!this.ids.has(t)) throw new Error(`tokenizer vocabulary lacks the special token ${t}`);
    this.specialIds = new Set([...FIXED_SPECIALS, ...sems].map((t) => this.ids.get(t)!));
  }

  /**
   * The fixed vocabulary: specials, BASE_CHARACTERS, the characters of `extra` outside the base
   * set (code point order), then SEM_1..SEM_k. Adding an extra character or SEM tokens appends
   * ids and never moves an existing one.
   */
  static withCharacters(extra: Iterable<string>, semTokens = 4): CharTokenizer {
    return new CharTokenizer([...FIXED_SPECIALS, ...BASE_CHARACTERS, ...extraCharacters(extra), ...semTokenNames(semTokens)], semTokens);
  }

  /** The fixed vocabulary extended by every character of `texts` outside BASE_CHARACTERS. */
  static fromTexts(texts: Iterable<string>, semTokens = 4): CharTokenizer {
    return CharTokenizer.withCharacters(texts, semTokens);
  }

  static fromJSON(json: TokenizerJSON): CharTokenizer {
    if (json.kind !== 'char') throw new Error(`unsupported tokenizer kind '${String(json.kind)}'`);
    return new CharTokenizer(json.vocab, json.semTokens);
  }

  toJSON(): CharTokenizerJSON {
    return { kind: 'char', vocab: [...this.vocab], semTokens: this.semTokens };
  }

  get size(): number {
    return this.vocab.length;
  }

  /** Id of a special token (throws for unknown names, which would be a programming error). */
  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new Error(`unknown token '${token}'`);
    return id;
  }

  get pad(): number {
    return this.id(SPECIAL.PAD);
  }

  /** Plain text -> ids; characters unseen in training become UNK. */
  encode(text: string): number[] {
    const unk = this.id(SPECIAL.UNK);
    const out: number[] = [];
    for (const ch of text) out.push(this.ids.get(ch) ?? unk);
    return out;
  }

  /** Ids -> text; special tokens are rendered by name unless `skipSpecial`. */
  decode(ids: readonly number[], skipSpecial = false): string {
    let s = '';
    for (const id of ids) {
      const t = this.vocab[id] ?? SPECIAL.UNK;
      if (skipSpecial && this.isSpecial(id)) continue;
      s += t;
    }
    return s;
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }
}
