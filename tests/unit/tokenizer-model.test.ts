/**
 * Reading sentencepiece's ModelProto, refusing what cannot be converted exactly, and a model without the dummy
 * prefix (made by overriding a field of the real model) checked against sentencepiece itself.
 */
import { describe, expect, test } from 'vitest';
import { parseSentencePieceModel, SentencePieceModelError } from '../../scripts/convert/sentencepiece-model.ts';
import { sentencepieceToTokenizerJson, tokenizerConfigJson } from '../../scripts/convert/tokenizer.ts';
import {
  llamaTokenizerModel,
  loadSentencePiece,
  loadTransformersTokenizer,
  withSpecOverrides,
} from './support/llama-tokenizers.ts';

const llama = llamaTokenizerModel();

describe('parseSentencePieceModel on Llama-2 tokenizer.model', () => {
  const model = parseSentencePieceModel(llama);

  test('32000 pieces: <unk>, <s>, </s>, 256 byte pieces, then normal pieces', () => {
    expect(model.pieces).toHaveLength(32000);
    expect(model.pieces.slice(0, 3)).toEqual([
      { piece: '<unk>', score: 0, type: 'unknown' },
      { piece: '<s>', score: 0, type: 'control' },
      { piece: '</s>', score: 0, type: 'control' },
    ]);
    expect(model.pieces.slice(3, 259).map((p) => p.type)).toEqual(Array(256).fill('byte'));
    expect(model.pieces[3 + 0x0a].piece).toBe('<0x0A>');
    expect(model.pieces.slice(259).every((p) => p.type === 'normal')).toBe(true);
    expect(model.pieces[30387].piece).toBe('\u0D3F');
  });

  test('a piece that is exactly U+FEFF keeps it (no BOM stripping)', () => {
    expect(model.pieces.filter((p) => p.piece === '\uFEFF')).toHaveLength(1);
  });

  test('trainer and normalizer settings', () => {
    expect(model.trainerSpec).toEqual({
      modelType: 'bpe',
      byteFallback: true,
      treatWhitespaceAsSuffix: false,
      unkId: 0,
      bosId: 1,
      eosId: 2,
      padId: -1,
    });
    expect(model.normalizerSpec).toEqual({
      name: 'identity',
      precompiledCharsmapBytes: 0,
      addDummyPrefix: true,
      removeExtraWhitespaces: false,
      escapeWhitespaces: true,
    });
  });
});

describe('refusals name the file and the problem', () => {
  const refuses = (bytes: Uint8Array, problem: RegExp) => {
    expect(() => sentencepieceToTokenizerJson(bytes, 'ckpt/tokenizer.model')).toThrow(SentencePieceModelError);
    expect(() => sentencepieceToTokenizerJson(bytes, 'ckpt/tokenizer.model')).toThrow(
      new RegExp(`^ckpt/tokenizer\\.model is not a usable sentencepiece model: .*(?:${problem.source})`),
    );
  };

  test('a unigram model', () => refuses(withSpecOverrides(llama, { trainerSpec: { 3: 1 } }), /it is a unigram model; only BPE/));
  test('an empty file', () => refuses(new Uint8Array(0), /it holds no pieces/));
  test('a truncated file', () => refuses(llama.subarray(0, 1000), /runs past the end|truncated/));
  test('a tokenizer.json given as tokenizer.model', () =>
    refuses(new TextEncoder().encode('{"version": "1.0", "model": {}}'), /wire type/));
  test('random bytes', () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16);
    expect(() => sentencepieceToTokenizerJson(bytes)).toThrow(SentencePieceModelError);
  });
  test('a charsmap normalizer', () => {
    // normalizer_spec.precompiled_charsmap (field 2, bytes) appended as a second, partial normalizer_spec.
    const withCharsmap = Uint8Array.from([...llama, 0x1a, 5, 0x12, 3, 1, 2, 3]);
    refuses(withCharsmap, /rewrites characters/);
  });
  test('remove_extra_whitespaces', () =>
    refuses(withSpecOverrides(llama, { normalizerSpec: { 4: 1 } }), /remove_extra_whitespaces is set/));
  test('whitespace as suffix', () =>
    refuses(withSpecOverrides(llama, { trainerSpec: { 24: 1 } }), /treat_whitespace_as_suffix/));
  test('byte fallback without byte pieces', () => {
    // Piece 3 (<0x00>) turned into a normal piece: its type value 6 (BYTE) rewritten to 1 (NORMAL).
    const bytes = Uint8Array.from(llama);
    const { typeOffset } = findPiece(bytes, '<0x00>');
    expect(bytes[typeOffset]).toBe(6);
    bytes[typeOffset] = 1;
    refuses(bytes, /byte piece <0x00> is missing/);
  });
});

/** Locates a piece's serialized type value so a test can change it in place. */
function findPiece(bytes: Uint8Array, piece: string): { typeOffset: number } {
  const needle = new TextEncoder().encode(piece);
  for (let i = 0; i < bytes.length - needle.length; i++) {
    if (needle.every((b, j) => bytes[i + j] === b) && bytes[i - 1] === needle.length && bytes[i - 2] === 0x0a) {
      // piece (0x0a len text), score (0x15 + 4 bytes), type (0x18 value)
      let p = i + needle.length;
      if (bytes[p] === 0x15) p += 5;
      if (bytes[p] !== 0x18) throw new Error(`piece ${piece} has no type field`);
      return { typeOffset: p + 1 };
    }
  }
  throw new Error(`piece ${piece} not found`);
}

describe('a model without add_dummy_prefix segments as sentencepiece does', () => {
  const texts = [
    'Hello world',
    '  two leading, two trailing  ',
    'runs   of    spaces\tand\t\ttabs\n\n and newlines \n',
    ' ',
    '',
    'ക\u0D3F\n <|Human|>\u0D46 x',
  ];

  test('without the dummy prefix', async () => {
    const variant = withSpecOverrides(llama, { normalizerSpec: { 3: 0 } });
    const sp = await loadSentencePiece(variant);
    const tokenizer = await loadTransformersTokenizer(
      sentencepieceToTokenizerJson(variant),
      tokenizerConfigJson({ chatTemplate: null, modelMaxLength: 4096 }),
    );
    for (const text of texts) {
      expect(tokenizer.encode(text, { add_special_tokens: false }), JSON.stringify(text)).toEqual(sp.encode(text));
      const ids = sp.encode(text);
      if (ids.length > 0) expect(tokenizer.decode(ids), JSON.stringify(text)).toBe(sp.decode(ids));
    }
    // Without the prefix, a leading word is not "▁Hello": the check above compares different ids than Llama's.
    expect(sp.encode('Hello')).not.toEqual((await loadSentencePiece(llama)).encode('Hello'));
  });
});
