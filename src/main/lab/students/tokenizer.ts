// A pretrained student's own tokenizer, run by the @huggingface/tokenizers library (never a
// hand-written BPE): from the folder's tokenizer.json (+ tokenizer_config.json), or from GPT-2's
// older vocab.json + merges.txt pair, which is turned into the tokenizer.json structure the
// fast GPT-2 tokenizer itself uses (byte-level BPE) and handed to the same library.
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { LabError } from '../errors';
import { readJsonFile } from './jsonFile';

export type TokenizerSource = 'tokenizer.json' | 'vocab.json+merges.txt';

/** The tokenizer files a folder may carry, in the order they are looked for. */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
] as const;

const GPT2_EOS = '<|endoftext|>';

/**
 * The tokenizer.json of a GPT-2 byte-level BPE from vocab.json (token -> id) and merges.txt
 * (one "a b" pair per line after the "#version" line): the layout transformers writes when it
 * converts GPT2Tokenizer to its fast tokenizer.
 */
export function gpt2TokenizerJson(vocab: Record<string, number>, merges: readonly string[]): Record<string, unknown> {
  const eos = vocab[GPT2_EOS];
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens:
      eos === undefined
        ? []
        : [
            {
              id: eos,
              content: GPT2_EOS,
              single_word: false,
              lstrip: false,
              rstrip: false,
              normalized: true,
              special: true,
            },
          ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [...merges],
    },
  };
}

/** merges.txt lines -> merge pairs ("#version" header and blank lines skipped); a bad line is located. */
export function parseMerges(text: string, source: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    if (line.split(' ').length !== 2)
      throw new LabError(
        'BAD_FILE',
        `${source}:${i + 1}: a merge is two tokens separated by one space, got ${JSON.stringify(line)}`,
        { file: source, line: i + 1 },
      );
    out.push(line);
  });
  return out;
}

export class HfTokenizer {
  private readonly lib: Tokenizer;
  /** Largest id the tokenizer can produce (vocabulary and added tokens). */
  readonly maxId: number;
  readonly size: number;

  constructor(
    json: Record<string, unknown>,
    config: Record<string, unknown>,
    readonly source: TokenizerSource,
    file: string,
  ) {
    try {
      this.lib = new Tokenizer(json, config);
    } catch (err) {
      throw new LabError('BAD_FILE', `${file}: the tokenizer library cannot read it: ${(err as Error).message}`, {
        file,
      });
    }
    const vocab = this.lib.get_vocab(true);
    this.size = vocab.size;
    let max = -1;
    for (const id of vocab.values()) if (id > max) max = id;
    this.maxId = max;
  }

  /** Reads the tokenizer files of a model folder. */
  static fromFolder(dir: string): HfTokenizer {
    const at = (f: string) => path.join(dir, f);
    const configFile = at('tokenizer_config.json');
    const config = fs.existsSync(configFile) ? (readJsonFile(configFile) as Record<string, unknown>) : {};
    if (fs.existsSync(at('tokenizer.json'))) {
      const json = readJsonFile(at('tokenizer.json'));
      if (json === null || typeof json !== 'object' || Array.isArray(json))
        throw new LabError('BAD_FILE', `${at('tokenizer.json')}: not a JSON object`, { file: at('tokenizer.json') });
      return new HfTokenizer(json as Record<string, unknown>, config, 'tokenizer.json', at('tokenizer.json'));
    }
    if (fs.existsSync(at('vocab.json')) && fs.existsSync(at('merges.txt'))) {
      const vocab = readJsonFile(at('vocab.json'));
      if (
        vocab === null ||
        typeof vocab !== 'object' ||
        Array.isArray(vocab) ||
        !Object.values(vocab).every((v) => Number.isInteger(v))
      )
        throw new LabError('BAD_FILE', `${at('vocab.json')}: expected an object mapping tokens to integer ids`, {
          file: at('vocab.json'),
        });
      const merges = parseMerges(fs.readFileSync(at('merges.txt'), 'utf8'), at('merges.txt'));
      return new HfTokenizer(
        gpt2TokenizerJson(vocab as Record<string, number>, merges),
        config,
        'vocab.json+merges.txt',
        at('vocab.json'),
      );
    }
    throw new LabError('BAD_FILE', `${dir}: no tokenizer (expected tokenizer.json, or vocab.json and merges.txt)`, {
      file: dir,
      field: 'tokenizer.json',
    });
  }

  /** Text -> ids; `addSpecial` applies the tokenizer's post-processor (e.g. a BOS token), as transformers does by default. */
  encode(text: string, addSpecial = false): number[] {
    return this.lib.encode(text, { add_special_tokens: addSpecial }).ids;
  }

  decode(ids: readonly number[], skipSpecial = false): string {
    return this.lib.decode([...ids], { skip_special_tokens: skipSpecial });
  }

  tokenToId(token: string): number | undefined {
    return this.lib.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.lib.id_to_token(id);
  }
}
