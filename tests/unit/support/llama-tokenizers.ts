/**
 * The two tokenizers the tokenizer tests compare: sentencepiece itself (compiled to wasm, the reference) and
 * transformers.js loading the files the model builder writes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared fixtures folder: `<repo-root>/../shared` when the checkout has one, else /work/shared. */
export function sharedDir(): string {
  const candidates = [resolve(repoRoot, '../shared'), '/work/shared'];
  const found = candidates.find((d) => existsSync(join(d, 'fixtures')));
  if (!found) throw new Error(`shared fixtures not found in ${candidates.join(' or ')}`);
  return found;
}

/** The real Llama-2 sentencepiece model shipped with the tiny reference checkpoint. */
export function llamaTokenizerModel(): Uint8Array {
  return readFileSync(join(sharedDir(), 'fixtures/hf-reference/tiny-llama-safetensors/tokenizer.model'));
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
