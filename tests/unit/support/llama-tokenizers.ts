/**
 * The two tokenizers the tokenizer tests compare: sentencepiece itself (compiled to wasm, the reference) and
 * transformers.js loading the files the model builder writes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { TINY_LLAMA_DIR } from '../../../scripts/convert/fixture-models.ts';
import { sentencepieceToTokenizerJson, tokenizerConfigJson } from '../../../scripts/convert/tokenizer.ts';

/** The real Llama-2 sentencepiece model shipped with the tiny reference checkpoint. */
export function llamaTokenizerModel(): Uint8Array {
  return readFileSync(join(TINY_LLAMA_DIR, 'tokenizer.model'));
}

export interface SentencePieceReference {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

/** sentencepiece itself, loaded from the model's bytes (no BOS: callers add it where the tokenizer would). */
export async function loadSentencePiece(model: Uint8Array): Promise<SentencePieceReference> {
  const sp = new SentencePieceProcessor();
  await sp.loadFromB64StringModel(Buffer.from(model).toString('base64'));
  return {
    encode: (text) => sp.encodeIds(text),
    decode: (ids) => sp.decodeIds(Int32Array.from(ids)),
  };
}

/** transformers.js loading `tokenizer.json` + `tokenizer_config.json` from a model folder, as the app does. */
export async function loadTransformersTokenizer(tokenizerJson: object, tokenizerConfig: object): Promise<PreTrainedTokenizer> {
  const root = mkdtempSync(join(tmpdir(), 'tokenizer-test-'));
  try {
    const dir = join(root, 'llama');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.useBrowserCache = false;
    env.useFSCache = false;
    env.localModelPath = root;
    return await AutoTokenizer.from_pretrained('llama');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A copy of a sentencepiece model with some varint fields of trainer_spec (field 2) or normalizer_spec (field 3)
 * overridden. Protobuf merges a repeated message field into the earlier one and the last scalar wins, so appending
 * a second, partial spec is enough: sentencepiece itself reads the result the same way.
 */
export function withSpecOverrides(
  model: Uint8Array,
  overrides: { trainerSpec?: Record<number, number>; normalizerSpec?: Record<number, number> },
): Uint8Array {
  const parts: number[] = [...model];
  for (const [field, values] of [
    [2, overrides.trainerSpec],
    [3, overrides.normalizerSpec],
  ] as const) {
    if (!values) continue;
    const body = Object.entries(values).flatMap(([f, v]) => [...varint(Number(f) * 8), ...varint(v)]);
    parts.push(...varint(field * 8 + 2), ...varint(body.length), ...body);
  }
  return Uint8Array.from(parts);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/**
 * The real Llama-2 tokenizer both ways: sentencepiece, and transformers.js on the builder's tokenizer.json with
 * `chatTemplate` in its config.
 */
export async function loadLlamaTokenizers(chatTemplate: string | null): Promise<{ sp: SentencePieceReference; tokenizer: PreTrainedTokenizer }> {
  const model = llamaTokenizerModel();
  const sp = await loadSentencePiece(model);
  const tokenizer = await loadTransformersTokenizer(sentencepieceToTokenizerJson(model), tokenizerConfigJson({ chatTemplate, modelMaxLength: 4096 }));
  return { sp, tokenizer };
}
