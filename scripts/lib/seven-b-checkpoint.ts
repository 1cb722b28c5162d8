/**
 * A checkpoint with Llama-2-7B's layer shapes laid out like Agent-FLAN-7B's (InternLM v1 config, bf16
 * pytorch_model-0000N-of-0000M.bin shards of at most 10 GB, random weights), written tensor by tensor.
 * `npm run bench:convert` writes the full 32 layers (13.5 GB); tests write 2 layers with a small vocabulary.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { internlmConfig } from '../../tests/support/make-checkpoint.ts';
import { TorchBinWriter } from '../../tests/support/torch-bin-writer.ts';
import { TINY_LLAMA_DIR } from '../convert/fixture-models.ts';

export const HIDDEN = 4096;
export const INTERMEDIATE = 11008;
export const HEADS = 32;
const SHARD_BYTES = 10_000_000_000;

/** Random bf16 values of magnitude ~0.002-0.06, either sign: cheap to make, realistic enough to quantise. */
function randomBf16(count: number, seed: number): Uint8Array {
  const out = new Uint16Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s & 0x8000) | (0x3b00 + ((s >>> 8) & 0x1ff));
  }
  return new Uint8Array(out.buffer);
}

function tensorList(layers: number, vocab: number): { name: string; shape: number[] }[] {
  const list = [{ name: 'model.embed_tokens.weight', shape: [vocab, HIDDEN] }];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) list.push({ name: `${p}.self_attn.${proj}.weight`, shape: [HIDDEN, HIDDEN] });
    list.push({ name: `${p}.mlp.gate_proj.weight`, shape: [INTERMEDIATE, HIDDEN] });
    list.push({ name: `${p}.mlp.up_proj.weight`, shape: [INTERMEDIATE, HIDDEN] });
    list.push({ name: `${p}.mlp.down_proj.weight`, shape: [HIDDEN, INTERMEDIATE] });
    list.push({ name: `${p}.input_layernorm.weight`, shape: [HIDDEN] });
    list.push({ name: `${p}.post_attention_layernorm.weight`, shape: [HIDDEN] });
  }
  list.push({ name: 'model.norm.weight', shape: [HIDDEN] }, { name: 'lm_head.weight', shape: [vocab, HIDDEN] });
  return list;
}

/** Writes the checkpoint into `dir` (which must exist); returns its weight bytes. */
export function writeSevenBWidthCheckpoint(dir: string, o: { layers: number; vocab?: number }): number {
  const vocab = o.vocab ?? 32000;
  const shape = { vocab, hidden: HIDDEN, intermediate: INTERMEDIATE, layers: o.layers, heads: HEADS, bias: false };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...internlmConfig(shape), max_position_embeddings: 4096 }));
  copyFileSync(join(TINY_LLAMA_DIR, 'tokenizer.model'), join(dir, 'tokenizer.model'));
  const tensors = tensorList(o.layers, vocab);
  const total = tensors.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1) * 2, 0);
  const shards = Math.max(1, Math.ceil(total / SHARD_BYTES));
  const name = (i: number) => `pytorch_model-${String(i + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.bin`;
  const weightMap: Record<string, string> = {};
  let shard = 0;
  let inShard = 0;
  let writer = new TorchBinWriter(join(dir, name(0)), 'BF16', 'pytorch_model');
  tensors.forEach((t, i) => {
    const bytes = t.shape.reduce((x, y) => x * y, 1) * 2;
    if (inShard > 0 && inShard + bytes > SHARD_BYTES) {
      writer.close();
      writer = new TorchBinWriter(join(dir, name(++shard)), 'BF16', 'pytorch_model');
      inShard = 0;
    }
    writer.addStorage([{ name: t.name, shape: t.shape, data: randomBf16(bytes / 2, i + 1) }]);
    weightMap[t.name] = name(shard);
    inShard += bytes;
  });
  writer.close();
  writeFileSync(join(dir, 'pytorch_model.bin.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }));
  return total;
}
