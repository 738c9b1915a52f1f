// A pretrained student's tokenizer as the methods see it (training/tokenizer.ts, `Tokenizer`):
// text goes through the folder's own tokenizer (students/tokenizer.ts); the method markers (SEP,
// EOS, ANS, RAT, [predict], [explain], SEM_1..SEM_k) are added special tokens with ids after the
// embedding's rows, one id each, never produced by encoding text (docs/methods.md, "Training a
// pretrained student"). PAD is EOS (padding is never a target).
import { SPECIAL, semToken, type Tokenizer } from '../training/tokenizer';
import type { HfTokenizer } from './tokenizer';

/** The markers in id order after the embedding's rows (SEM tokens last, so k never moves the others). */
export function markerNames(semTokens: number): string[] {
  return [
    SPECIAL.SEP,
    SPECIAL.EOS,
    SPECIAL.ANS,
    SPECIAL.RAT,
    SPECIAL.PREDICT,
    SPECIAL.EXPLAIN,
    ...Array.from({ length: semTokens }, (_, i) => semToken(i + 1)),
  ];
}

export class MarkerTokenizer implements Tokenizer {
  readonly markers: readonly string[];
  private readonly ids: Map<string, number>;

  /** `firstId` is the embedding's row count (config vocab_size): markers take the next ids. */
  constructor(
    readonly hf: HfTokenizer,
    readonly firstId: number,
    readonly semTokens: number,
  ) {
    this.markers = markerNames(semTokens);
    this.ids = new Map(this.markers.map((m, i) => [m, firstId + i]));
    this.ids.set(SPECIAL.PAD, this.ids.get(SPECIAL.EOS)!);
  }

  get size(): number {
    return this.firstId + this.markers.length;
  }

  get pad(): number {
    return this.id(SPECIAL.PAD);
  }

  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new Error(`unknown marker '${token}'`);
    return id;
  }

  encode(text: string): number[] {
    return this.hf.encode(text, false);
  }

  isSpecial(id: number): boolean {
    return id >= this.firstId;
  }

  /** Text runs through the folder's tokenizer; markers by name unless `skipSpecial` (which also skips the tokenizer's own specials). */
  decode(ids: readonly number[], skipSpecial = false): string {
    let out = '';
    let run: number[] = [];
    const flush = () => {
      if (run.length) out += this.hf.decode(run, skipSpecial);
      run = [];
    };
    for (const id of ids) {
      if (!this.isSpecial(id)) {
        run.push(id);
        continue;
      }
      flush();
      if (!skipSpecial) out += this.markers[id - this.firstId] ?? '';
    }
    flush();
    return out;
  }

  toJSON(): { kind: 'hf'; firstId: number; semTokens: number; markers: string[] } {
    return { kind: 'hf', firstId: this.firstId, semTokens: this.semTokens, markers: [...this.markers] };
  }
}
