/**
 * The converted Llama-2 tokenizer, loaded by transformers.js, against sentencepiece itself (wasm build of the
 * reference implementation) on the real Llama-2 `tokenizer.model`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { loadLlamaTokenizers, type SentencePieceReference } from './support/llama-tokenizers.ts';

const BOS = 1;
const EOS = 2;

let tokenizer: PreTrainedTokenizer;
let sp: SentencePieceReference;

beforeAll(async () => {
  ({ sp, tokenizer } = await loadLlamaTokenizers(null));
});

/** What the model is fed for `text`: BOS, then sentencepiece's ids. */
const reference = (text: string) => [BOS, ...sp.encode(text)];
const encode = (text: string) => tokenizer.encode(text);

const CASES: Record<string, string[]> = {
  'Agent-FLAN markers': [
    '<|Human|>\u0D46',
    '<|Assistant|>\u0D46',
    '\u0D3F\n <|Human|>\u0D46',
    'Thought: I should look it up.\nAction: wiki_search\nAction Input: {"query": "Kerala"}\u0D3F\n ',
  ],
  multilingual: [
    '机器学习是人工智能的一个分支。',
    '東京の天気は晴れです。カタカナとひらがな。',
    'مرحبا بالعالم، كيف حالك اليوم؟',
    'नमस्ते दुनिया, आप कैसे हैं?',
    'മലയാളം ഒരു ദ്രാവിഡ ഭാഷയാണ്. \u0D46 \u0D3F കേരളം',
    'Привет, мир! Съешь же ещё этих мягких французских булок.',
    'Crème brûlée, naïve façade, Ångström, São Paulo, Straße, Łódź, İstanbul',
    'Ελληνικά: γειά σου κόσμε. עברית: שלום עולם. 한국어: 안녕하세요 세계.',
    'no normalization: ﬁ ① Ａｂｃ ½ ™ e\u0301 vs é, Å vs A\u030A',
  ],
  whitespace: [
    ' leading space',
    '   three leading spaces',
    'trailing space ',
    'trailing spaces   ',
    'many     internal      spaces',
    ' '.repeat(40) + 'after forty spaces',
    '\ttab\tseparated\t\tvalues',
    'line one\nline two\n\nline four\n',
    '\n leading newline then space',
    'turn end\n <|Human|>\u0D46 next\n \n ',
    'mixed \t \n \r\n whitespace \u00A0 nbsp \u3000 ideographic',
    ' ',
    '    ',
    '\n',
  ],
  code: [
    'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n',
    'const add = (a, b) => {\n  return a + b;\n};\nconsole.log(`sum=${add(1, 2)}`);\n',
    "SELECT name, COUNT(*) AS n\nFROM employees\nWHERE dept = 'R&D' AND salary >= 100000\nGROUP BY name\nORDER BY n DESC;",
    '#!/bin/bash\nfor f in *.log; do\n\tgrep -c "ERROR" "$f" | awk \'{s+=$1} END {print s}\'\ndone\n',
    '```bash\nls -la /etc | head -n 5\n```',
    '{"name": "search", "arguments": {"query": "llama", "limit": 10}, "tags": [], "ok": true}',
  ],
  'byte fallback': [
    '🦙',
    'Agent 🦙 on 🚀 with 😀😃😄',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕄𝕒𝕥𝕙',
    '👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 ZWJ sequences',
    'rare: \u{1F9EC} \u{10348} \u{E0041} \u0FFF',
    '\u200B zero width \u200D joiner \uFEFF bom',
  ],
};

describe('transformers.js gives sentencepiece ids (with BOS)', () => {
  for (const [group, texts] of Object.entries(CASES)) {
    test.each(texts)(`${group}: %j`, (text) => {
      expect(encode(text)).toEqual(reference(text));
    });
  }

  // Llama-2's "▁▁" ... "▁"x16 pieces all score -1e9: sentencepiece grows a run from the left on the tie, which
  // the merge ranking must reproduce (ranking shorter left parts first fails this test).
  test('runs of 1 to 70 spaces, alone, between words, after a newline and before a tab', () => {
    for (let n = 1; n <= 70; n++) {
      for (const text of [' '.repeat(n), `a${' '.repeat(n)}b`, `\n${' '.repeat(n)}x`, `${' '.repeat(n)}\t${' '.repeat(n % 7)}`]) {
        expect(encode(text), JSON.stringify(text)).toEqual(reference(text));
      }
    }
  });

  test('3000 random mixes of vocabulary pieces, single characters, whitespace runs and emoji (fixed seed)', () => {
    const vocab = [...tokenizer.get_vocab().keys()].filter((p) => !/^<.*>$/.test(p)).map((p) => p.replaceAll('\u2581', ' '));
    const chars = [...new Set(vocab.flatMap((p) => Array.from(p)))];
    const extras = ['\n', '\t', '\n ', '\r\n', '🦙', '👩‍💻', '𝔘', '\u0D46', '\u0D3F', '<|', '|>', '\u200D'];
    let seed = 20240318;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let k = 1 + random(30); k > 0; k--) {
        const kind = random(10);
        if (kind === 0) text += ' '.repeat(1 + random(20));
        else if (kind < 3) text += extras[random(extras.length)];
        else if (kind < 6) text += vocab[random(vocab.length)];
        else text += chars[random(chars.length)];
      }
      expect(encode(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  test('empty string is BOS alone, as sentencepiece gives no ids', () => {
    expect(sp.encode('')).toEqual([]);
    expect(encode('')).toEqual([BOS]);
  });

  test('a long mixed paragraph', () => {
    const paragraph = Object.values(CASES).flat().join(' ').repeat(3);
    const ids = encode(paragraph);
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids).toEqual(reference(paragraph));
  });
});

describe('hard facts from agent-flan.md (checked there with sentencepiece)', () => {
  test.each([
    ['<|Human|>\u0D46', [529, 29989, 29950, 7889, 29989, 29958, 30840]],
    ['<|Assistant|>\u0D46', [529, 29989, 7900, 22137, 29989, 29958, 30840]],
    ['\u0D3F\n <|Human|>\u0D46', [29871, 30387, 13, 529, 29989, 29950, 7889, 29989, 29958, 30840]],
  ])('%j', (text, ids) => {
    expect(encode(text)).toEqual([BOS, ...ids]);
    expect(sp.encode(text)).toEqual(ids);
  });

  test('U+0D3F alone is id 30387, the stop token', () => {
    expect(tokenizer.encode('x\u0D3F', { add_special_tokens: false }).at(-1)).toBe(30387);
  });
});

describe('special tokens', () => {
  test('BOS is added by default, EOS never', () => {
    const ids = encode('Hello world');
    expect(ids[0]).toBe(BOS);
    expect(ids).not.toContain(EOS);
    expect(tokenizer.encode('Hello world', { add_special_tokens: false })).toEqual(sp.encode('Hello world'));
  });

  test('unk, bos and eos are ids 0, 1, 2 and special', () => {
    expect([tokenizer.unk_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id]).toEqual([0, 1, 2]);
    expect([tokenizer.unk_token, tokenizer.bos_token, tokenizer.eos_token]).toEqual(['<unk>', '<s>', '</s>']);
    expect(tokenizer.all_special_ids.sort()).toEqual([0, 1, 2]);
  });

  // As in Hugging Face tokenizers, the special tokens' text is matched inside input text, where sentencepiece
  // sees plain characters: text that may contain "<s>", "</s>" or "<unk>" (tool output) must not reach the
  // tokenizer raw if the model should see it as text. The engine encodes prompts with src/lib/engine/prompt-tokens.ts
  // instead (tests/unit/prompt-tokens.test.ts).
  test('special-token text inside input becomes the special id (sentencepiece: plain pieces)', () => {
    const text = 'a</s>b<s>c<unk>';
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.filter((id) => id <= 2)).toEqual([2, 1, 0]);
    expect(sp.encode(text).filter((id) => id <= 2)).toEqual([]);
  });

  test('byte pieces keep their ids: "\\n" is <0x0A> = 13', () => {
    expect(tokenizer.encode('\n', { add_special_tokens: false })).toEqual([29871, 13]);
    expect(tokenizer.convert_tokens_to_ids(['<0x0A>', '<0x00>', '<0xFF>'])).toEqual([13, 3, 258]);
  });
});

describe('decoding', () => {
  const all = Object.values(CASES).flat();

  test.each(all)('decode(encode(x)) == x: %j', (text) => {
    expect(tokenizer.decode(encode(text), { skip_special_tokens: true })).toBe(text);
  });

  test.each(all)('transformers.js decodes sentencepiece ids as sentencepiece does: %j', (text) => {
    const ids = sp.encode(text);
    expect(tokenizer.decode(ids)).toBe(sp.decode(ids));
  });

  test('BOS shows in the text unless skipped', () => {
    expect(tokenizer.decode(encode('Hi'))).toBe('<s> Hi');
    expect(tokenizer.decode(encode('Hi'), { skip_special_tokens: true })).toBe('Hi');
  });
});
