// Character-level tokenizer. Students in this lab are tiny and trained from scratch on one task,
// so characters keep the vocabulary small (tens of symbols) and need no trained merges.
// Special tokens mark the segments of every method's layout (PST-METHODS.md, Methods table).

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

/** Name of the i-th semantic token (1-based, as in the paper's SEM_1..SEM_k). */
export function semToken(i: number): string {
  return `<sem_${i}>`;
}

/** Special tokens in id order: the fixed ones, then SEM_1..SEM_k. */
export function specialTokens(semTokens: number): string[] {
  const out: string[] = [...Object.values(SPECIAL)];
  for (let i = 1; i <= semTokens; i++) out.push(semToken(i));
  return out;
}

export interface TokenizerJSON {
  kind: 'char';
  /** Id -> token; ids are positions. Specials first, then characters in code point order. */
  vocab: string[];
  semTokens: number;
}

export class CharTokenizer {
  readonly vocab: readonly string[];
  readonly semTokens: number;
  private readonly ids: Map<string, number>;

  constructor(vocab: readonly string[], semTokens: number) {
    this.vocab = vocab;
    this.semTokens = semTokens;
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    if (this.ids.size !== vocab.length) throw new Error('tokenizer vocabulary has duplicate entries');
    const expected = specialTokens(semTokens);
    expected.forEach((tok, i) => {
      if (vocab[i] !== tok) throw new Error(`tokenizer vocabulary entry ${i} should be the special token ${tok}, got '${vocab[i]}'`);
    });
  }

  /** Builds the vocabulary from training texts (every character seen), plus the special tokens. */
  static fromTexts(texts: Iterable<string>, semTokens = 4): CharTokenizer {
    const chars = new Set<string>();
    for (const t of texts) for (const ch of t) chars.add(ch);
    const specials = specialTokens(semTokens);
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer([...specials, ...sorted], semTokens);
  }

  static fromJSON(json: TokenizerJSON): CharTokenizer {
    if (json.kind !== 'char') throw new Error(`unsupported tokenizer kind '${String(json.kind)}'`);
    return new CharTokenizer(json.vocab, json.semTokens);
  }

  toJSON(): TokenizerJSON {
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

  /** Specials come first in the vocabulary (see fromTexts). */
  isSpecial(id: number): boolean {
    return id < Object.keys(SPECIAL).length + this.semTokens;
  }
}
