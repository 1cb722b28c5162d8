/**
 * Tiny random checkpoints in the formats the converter reads (safetensors or torch .bin, single or sharded,
 * bf16/fp16/fp32), with the Hugging Face parameter names written out here independently of the converter.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../scripts/convert/dtype.ts';
import type { StorageDtype } from './torch-bin-writer.ts';
import { TorchBinWriter } from './torch-bin-writer.ts';
import { mulberry32 } from '../../src/lib/util/random';

export interface TinyShape {
  vocab: number;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  /** q/k/v/o biases. */
  bias: boolean;
}

export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

function rng(seed: number) {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Values rounded to what `dtype` storage holds, so the fp32 reference sees exactly what the converter reads. */
function roundTo(dtype: StorageDtype, v: number): number {
  if (dtype === 'F32') return Math.fround(v);
  if (dtype === 'F16') return float16BitsToFloat32(float32ToFloat16Bits(v));
  scratch[0] = v;
  scratchBits[0] = (scratchBits[0] + 0x7fff + ((scratchBits[0] >>> 16) & 1)) & 0xffff0000;
  return scratch[0];
}

export function randomTensors(s: TinyShape, dtype: StorageDtype, seed = 1): NamedTensor[] {
  const normal = rng(seed);
  const out: NamedTensor[] = [];
  const add = (name: string, shape: number[], mean = 0, std = 0.05) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = roundTo(dtype, mean + std * normal());
    out.push({ name, shape, values });
  };
  const h = s.hidden;
  add('model.embed_tokens.weight', [s.vocab, h], 0, 1);
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
      add(`${p}.self_attn.${proj}.weight`, [h, h], 0, 0.15);
      if (s.bias) add(`${p}.self_attn.${proj}.bias`, [h], 0, 0.1);
    }
    add(`${p}.mlp.gate_proj.weight`, [s.intermediate, h], 0, 0.15);
    add(`${p}.mlp.up_proj.weight`, [s.intermediate, h], 0, 0.15);
    add(`${p}.mlp.down_proj.weight`, [h, s.intermediate], 0, 0.1);
    add(`${p}.input_layernorm.weight`, [h], 1, 0.1);
    add(`${p}.post_attention_layernorm.weight`, [h], 1, 0.1);
  }
  add('model.norm.weight', [h], 1, 0.1);
  add('lm_head.weight', [s.vocab, h], 0, 0.15);
  return out;
}

function encode(values: Float32Array, dtype: StorageDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(values.buffer.slice(0));
  const out = new Uint16Array(values.length);
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) out[i] = dtype === 'F16' ? float32ToFloat16Bits(values[i]) : u[i] >>> 16;
  return new Uint8Array(out.buffer);
}

function writeSafetensors(file: string, tensors: NamedTensor[], dtype: StorageDtype): void {
  const header: Record<string, unknown> = {};
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const data = encode(t.values, dtype);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + data.byteLength] };
    blobs.push(data);
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([len, Buffer.from(json), ...blobs]));
}

export interface WriteOptions {
  format: 'safetensors' | 'bin';
  dtype: StorageDtype;
  shards: number;
  config: Record<string, unknown>;
  /** .bin only: write ZIP64 records as files over 4 GB have them. */
  zip64?: boolean;
  /** A sentencepiece model to copy in as tokenizer.model. */
  tokenizerModel: string;
}

/** Writes config.json, tokenizer.model and the weights (sharded with an index when shards > 1). */
export function writeCheckpoint(dir: string, tensors: NamedTensor[], o: WriteOptions): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(o.config, null, 2));
  copyFileSync(o.tokenizerModel, join(dir, 'tokenizer.model'));
  const ext = o.format === 'bin' ? 'bin' : 'safetensors';
  const stem = o.format === 'bin' ? 'pytorch_model' : 'model';
  const per = Math.ceil(tensors.length / o.shards);
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < o.shards; i++) {
    const group = tensors.slice(i * per, (i + 1) * per);
    const file = o.shards === 1 ? `${stem}.${ext}` : `${stem}-${String(i + 1).padStart(5, '0')}-of-${String(o.shards).padStart(5, '0')}.${ext}`;
    for (const t of group) weightMap[t.name] = file;
    if (o.format === 'safetensors') writeSafetensors(join(dir, file), group, o.dtype);
    else {
      // Pairs of tensors share a storage, as views of one buffer would.
      const w = new TorchBinWriter(join(dir, file), o.dtype, stem, o.zip64);
      for (let j = 0; j < group.length; j += 2)
        w.addStorage(group.slice(j, j + 2).map((t) => ({ name: t.name, shape: t.shape, data: encode(t.values, o.dtype) })));
      w.close();
    }
  }
  if (o.shards > 1) writeFileSync(join(dir, `${stem}.${ext}.index.json`), JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2));
}

export function llamaConfig(s: TinyShape): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: s.vocab,
    hidden_size: s.hidden,
    intermediate_size: s.intermediate,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    num_key_value_heads: s.heads,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    attention_bias: s.bias,
    hidden_act: 'silu',
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    tie_word_embeddings: false,
    torch_dtype: 'bfloat16',
  };
}

/** InternLM v1's config.json (configuration_internlm.py field names). */
export function internlmConfig(s: TinyShape): Record<string, unknown> {
  return {
    architectures: ['InternLMForCausalLM'],
    auto_map: { AutoConfig: 'configuration_internlm.InternLMConfig', AutoModelForCausalLM: 'modeling_internlm.InternLMForCausalLM' },
    model_type: 'internlm',
    vocab_size: s.vocab,
    hidden_size: s.hidden,
    intermediate_size: s.intermediate,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-6,
    hidden_act: 'silu',
    bias: s.bias,
    rotary: { base: 10000, type: 'dynamic' },
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    tie_word_embeddings: false,
    torch_dtype: 'bfloat16',
  };
}
