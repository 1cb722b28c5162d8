/**
 * The Llama decoder as an ONNX graph with the inputs/outputs transformers.js feeds a Llama model
 * (input_ids, attention_mask, [position_ids,] past_key_values.N.key/value -> logits, present.N.key/value),
 * built from ops onnxruntime-web's WebGPU EP implements natively: GroupQueryAttention, RotaryEmbedding,
 * MatMulNBits, SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization.
 *
 * Two layouts of the same weights (`GraphLayout`):
 *   - 'split': q, k, v, gate and up as separate projections, RotaryEmbedding nodes driven by position_ids, and a
 *     KV cache that grows by one position per step (present = past + new);
 *   - 'fused': q/k/v as one packed projection feeding GroupQueryAttention's packed input, rotary inside
 *     GroupQueryAttention (do_rotary with the cos/sin tables), gate and up left for onnxruntime's WebGPU EP to fuse
 *     with their norm and SiLU into one MatMulNBitsMlp kernel at session creation (symmetricProjection), and a KV cache of the
 *     model's full context that GroupQueryAttention updates in place when past and present are bound to the same
 *     buffer (past_present_share_buffer). The valid length comes from the attention mask's sum on the GPU and the
 *     declared total length is the context, with no Shape op, so a decode step has the same shapes at every
 *     position and no run reads anything back but the logits.
 */
import type { DecoderSpec } from './config.ts';
import { float32ToFloat16Array } from './dtype.ts';
import type { Initializer, OnnxNode, TensorTypeId, ValueInfo } from '../../src/lib/onnx/proto.ts';
import { TensorType } from '../../src/lib/onnx/proto.ts';
import { BLOCK_SIZE, type QuantBits } from './quantize.ts';

export type BuildDtype = 'fp32' | 'q4' | 'q4f16';
export type GraphLayout = 'split' | 'fused';
export const GRAPH_LAYOUTS: readonly GraphLayout[] = ['fused', 'split'];
export const BUILD_DTYPES: readonly BuildDtype[] = ['q4f16', 'q4', 'fp32'];

/** Activation (and KV cache) element type of a build. */
export function activationType(dtype: BuildDtype): TensorTypeId {
  return dtype === 'q4f16' ? TensorType.FLOAT16 : TensorType.FLOAT;
}

export const isQuantized = (dtype: BuildDtype) => dtype !== 'fp32';

/** transformers.js's file name per dtype: fp32 has no suffix. */
export const onnxFileName = (dtype: BuildDtype) => (dtype === 'fp32' ? 'model.onnx' : `model_${dtype}.onnx`);

/** Projections `--q8` can give 8-bit codes (MatMulNBits `bits: 8`); the rest stay 4-bit. */
export type Q8Target = 'lm_head' | 'v_proj' | 'o_proj' | 'down_proj';
export const Q8_TARGETS: readonly Q8Target[] = ['lm_head', 'v_proj', 'o_proj', 'down_proj'];

/**
 * The code width of a quantised projection (its initializer base name). In the fused layout v_proj is packed with
 * q_proj and k_proj into one MatMulNBits, which has one width: `v_proj` makes the whole packed qkv_proj 8-bit.
 */
export function projectionBits(base: string, q8: readonly Q8Target[]): QuantBits {
  const of = (t: Q8Target) => q8.includes(t);
  if (base === 'lm_head.weight') return of('lm_head') ? 8 : 4;
  if (/\.self_attn\.(v_proj|qkv_proj)\.weight$/.test(base)) return of('v_proj') ? 8 : 4;
  if (/\.self_attn\.o_proj\.weight$/.test(base)) return of('o_proj') ? 8 : 4;
  if (/\.mlp\.down_proj\.weight$/.test(base)) return of('down_proj') ? 8 : 4;
  return 4;
}

/**
 * Projections quantised symmetrically (no zero points; MatMulNBits assumes 2^(bits-1)): gate and up, in both layouts.
 * onnxruntime-web's WebGPU EP fuses (Skip)SimplifiedLayerNormalization + gate and up MatMulNBits + Sigmoid x Mul x up
 * into one MatMulNBitsMlp kernel at session creation (core/optimizer/matmul_nbits_mlp_fusion.cc), but only for
 * MatMulNBits without a zero-point input; the other projections keep asymmetric blocks (zero points), which fit
 * round-to-nearest's error better. Its QKV fusion (matmul_nbits_qkv_fusion.cc) tells q from k and v by their widths
 * and so never matches a model with as many kv heads as heads (Llama-2-7B, Agent-FLAN-7B): the graph packs q/k/v itself.
 */
export const symmetricProjection = (base: string) => /\.mlp\.(gate|up)_proj\.weight$/.test(base);

/** Initializer names a linear weight becomes (shared by the graph and the weight encoder). */
export const linearNames = (base: string, bits: QuantBits = 4) => ({
  matrix: base,
  packed: `${base}.q${bits}`,
  scales: `${base}.scales`,
  zeroPoints: `${base}.zero_points`,
});

export interface DecoderGraph {
  nodes: OnnxNode[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Tiny constants stored inside the .onnx. */
  constants: Initializer[];
  /** Computed tables (rope cos/sin) that go to external data like the weights. */
  tables: { name: string; type: TensorTypeId; dims: number[]; bytes: Uint8Array }[];
}

export function buildDecoderGraph(spec: DecoderSpec, dtype: BuildDtype, layout: GraphLayout = 'split', q8: readonly Q8Target[] = []): DecoderGraph {
  const A = activationType(dtype);
  const fused = layout === 'fused';
  const nodes: OnnxNode[] = [];
  let counter = 0;
  const node = (opType: string, inputs: string[], outputs: string[], attrs?: OnnxNode['attrs'], domain?: string) => {
    nodes.push({ opType, inputs, outputs, attrs, domain, name: `${opType}_${counter++}` });
    return outputs[0];
  };
  const ms = 'com.microsoft';
  const kv = spec.numKeyValueHeads;
  const hd = spec.headDim;

  const linear = (x: string, base: string, n: number, k: number, out: string, bias?: string): string => {
    const bits = projectionBits(base, q8);
    const names = linearNames(base, bits);
    const y = bias ? `${out}/nobias` : out;
    if (isQuantized(dtype))
      node('MatMulNBits', [x, names.packed, names.scales, ...(symmetricProjection(base) ? [] : [names.zeroPoints])], [y], { K: k, N: n, bits, block_size: BLOCK_SIZE }, ms);
    else node('MatMul', [x, names.matrix], [y]);
    if (bias) node('Add', [y, bias], [out]);
    return out;
  };

  const inputs: ValueInfo[] = [
    { name: 'input_ids', type: TensorType.INT64, shape: ['batch_size', 'sequence_length'] },
    // 'fused' takes any width (ones for the valid positions, then zeros): a static cache's is the context.
    { name: 'attention_mask', type: TensorType.INT64, shape: ['batch_size', fused ? 'attention_mask_length' : 'total_sequence_length'] },
    ...(fused ? [] : [{ name: 'position_ids', type: TensorType.INT64, shape: ['batch_size', 'sequence_length'] }]),
    // How many last positions get logits; 0 = all (what transformers.js sends from forward(); generate() sends 1).
    // 'fused' has no such input: it computes the last position's logits only, on the GPU (the Slice's start
    // would be computed on the CPU, which a captured graph cannot hold).
    ...(fused ? [] : [{ name: 'num_logits_to_keep', type: TensorType.INT64, shape: [] }]),
  ];
  const outputs: ValueInfo[] = [{ name: 'logits', type: TensorType.FLOAT, shape: ['batch_size', 'logits_length', spec.vocabSize] }];
  for (let i = 0; i < spec.numLayers; i++) {
    for (const part of ['key', 'value']) {
      inputs.push({ name: `past_key_values.${i}.${part}`, type: A, shape: ['batch_size', kv, 'past_sequence_length', hd] });
      outputs.push({ name: `present.${i}.${part}`, type: A, shape: ['batch_size', kv, fused ? spec.contextLength : 'total_sequence_length', hd] });
    }
  }

  const constants: Initializer[] = [{ name: 'const/axes_1', type: TensorType.INT64, dims: [1], data: int64Bytes([1]) }];

  let seqlensK: string;
  let totalLen: string;
  if (fused) {
    // GroupQueryAttention reads, per batch row, the index of the last valid key from seqlens_k (on the GPU) and
    // sizes present by total_sequence_length (read on the CPU unless the session captures a graph). The valid
    // length is the mask's sum, computed on the GPU (Gather -> ReduceSum -> Cast -> Sub) whatever its width; the
    // declared total is the context, a constant: present is always context-long, so a caller that binds
    // context-long past buffers as the present outputs gets an in-place cache with the same shapes at every
    // step. A Shape of the mask would copy a GPU-resident mask to the CPU at every run.
    // The int64 mask is never cast: onnxruntime-web's WebGPU EP has no Cast from int64 and runs it on the CPU,
    // reading the mask back every run. It indexes a [0, 1] table instead (Gather takes int64 indices on the GPU).
    constants.push(
      { name: 'const/mask_values', type: TensorType.FLOAT, dims: [2], data: new Uint8Array(Float32Array.of(0, 1).buffer) },
      { name: 'const/one_i32', type: TensorType.INT32, dims: [1], data: int32Bytes([1]) },
      { name: 'const/context_length', type: TensorType.INT32, dims: [], data: int32Bytes([spec.contextLength]) },
    );
    node('Gather', ['const/mask_values', 'attention_mask'], ['mask/f32'], { axis: 0 });
    node('ReduceSum', ['mask/f32', 'const/axes_1'], ['mask/valid_f32'], { keepdims: 0 });
    node('Cast', ['mask/valid_f32'], ['mask/valid'], { to: TensorType.INT32 });
    seqlensK = node('Sub', ['mask/valid', 'const/one_i32'], ['mask/seqlens_k']);
    totalLen = 'const/context_length';
  } else {
    // GroupQueryAttention wants, per batch row, the index of the last valid key and the total length. Both come
    // from the mask's shape (rows are unpadded: batch 1, as the app and transformers.js generate run it), so
    // they are computed on the CPU, where GroupQueryAttention reads them, with no GPU readback mid-graph.
    constants.push(
      { name: 'const/index_0', type: TensorType.INT64, dims: [1], data: int64Bytes([0]) },
      { name: 'const/index_1', type: TensorType.INT64, dims: [], data: int64Bytes([1]) },
      { name: 'const/one_i64', type: TensorType.INT64, dims: [], data: int64Bytes([1]) },
      { name: 'const/int64_max', type: TensorType.INT64, dims: [1], data: int64Bytes([Number.MAX_SAFE_INTEGER]) },
    );
    node('Shape', ['attention_mask'], ['mask/shape']);
    node('Gather', ['mask/shape', 'const/index_1'], ['mask/total_i64'], { axis: 0 });
    node('Gather', ['mask/shape', 'const/index_0'], ['mask/batch'], { axis: 0 });
    node('Sub', ['mask/total_i64', 'const/one_i64'], ['mask/last_i64']);
    node('Expand', ['mask/last_i64', 'mask/batch'], ['mask/last_rows']);
    seqlensK = node('Cast', ['mask/last_rows'], ['mask/seqlens_k'], { to: TensorType.INT32 });
    totalLen = node('Cast', ['mask/total_i64'], ['mask/total_sequence_length'], { to: TensorType.INT32 });
  }

  // The embedding stays unquantised in the activation type: the q4 build must hold no fp16 tensor at all, since
  // it exists for adapters without shader-f16, where even a Gather on fp16 data fails to compile (see README).
  const hidden = node('Gather', ['model.embed_tokens.weight', 'input_ids'], ['embed/out'], { axis: 0 });

  const eps = { float: spec.rmsNormEps };
  const h = spec.hiddenSize;
  const qDim = spec.numHeads * hd;
  const kvDim = kv * hd;
  const heads = { num_heads: spec.numHeads, kv_num_heads: kv };
  let residual = hidden;
  let pending = hidden; // the block output not yet added to the residual stream
  for (let i = 0; i < spec.numLayers; i++) {
    const p = `model.layers.${i}`;
    const b = (proj: string) => (spec.attentionBias ? `${p}.self_attn.${proj}.bias` : undefined);
    let normed: string;
    if (i === 0) normed = node('SimplifiedLayerNormalization', [hidden, `${p}.input_layernorm.weight`], [`${p}/ln1`], { axis: -1, epsilon: eps, stash_type: 1 });
    else {
      node('SkipSimplifiedLayerNormalization', [pending, residual, `${p}.input_layernorm.weight`], [`${p}/ln1`, '', '', `${p}/res1`], { epsilon: eps }, ms);
      normed = `${p}/ln1`;
      residual = `${p}/res1`;
    }
    const past = [`past_key_values.${i}.key`, `past_key_values.${i}.value`];
    const attnOutputs = [`${p}/attn`, `present.${i}.key`, `present.${i}.value`];
    if (fused) {
      const qkv = linear(normed, `${p}.self_attn.qkv_proj.weight`, qDim + 2 * kvDim, h, `${p}/qkv`, b('qkv_proj'));
      node('GroupQueryAttention', [qkv, '', '', ...past, seqlensK, totalLen, 'rope/cos', 'rope/sin'], attnOutputs, { ...heads, do_rotary: 1, rotary_interleaved: 0 }, ms);
    } else {
      const q = linear(normed, `${p}.self_attn.q_proj.weight`, qDim, h, `${p}/q`, b('q_proj'));
      const k = linear(normed, `${p}.self_attn.k_proj.weight`, kvDim, h, `${p}/k`, b('k_proj'));
      const v = linear(normed, `${p}.self_attn.v_proj.weight`, kvDim, h, `${p}/v`, b('v_proj'));
      const qr = node('RotaryEmbedding', [q, 'position_ids', 'rope/cos', 'rope/sin'], [`${p}/q_rot`], { interleaved: 0, num_heads: spec.numHeads }, ms);
      const kr = node('RotaryEmbedding', [k, 'position_ids', 'rope/cos', 'rope/sin'], [`${p}/k_rot`], { interleaved: 0, num_heads: kv }, ms);
      node('GroupQueryAttention', [qr, kr, v, ...past, seqlensK, totalLen], attnOutputs, heads, ms);
    }
    const o = linear(`${p}/attn`, `${p}.self_attn.o_proj.weight`, h, qDim, `${p}/o`, b('o_proj'));
    node('SkipSimplifiedLayerNormalization', [o, residual, `${p}.post_attention_layernorm.weight`], [`${p}/ln2`, '', '', `${p}/res2`], { epsilon: eps }, ms);
    residual = `${p}/res2`;
    const gate = linear(`${p}/ln2`, `${p}.mlp.gate_proj.weight`, spec.intermediateSize, h, `${p}/gate`);
    const up = linear(`${p}/ln2`, `${p}.mlp.up_proj.weight`, spec.intermediateSize, h, `${p}/up`);
    // onnxruntime's WebGPU EP fuses this norm, gate, up, Sigmoid x Mul and the Mul with up into one MatMulNBitsMlp
    // kernel at session creation (symmetricProjection; counted by npm run bench:decode), so the graph keeps plain ops.
    const sig = node('Sigmoid', [gate], [`${p}/gate_sigmoid`]);
    const silu = node('Mul', [gate, sig], [`${p}/gate_silu`]);
    const act = node('Mul', [silu, up], [`${p}/mlp_act`]);
    pending = linear(act, `${p}.mlp.down_proj.weight`, h, spec.intermediateSize, `${p}/down`);
  }
  node('SkipSimplifiedLayerNormalization', [pending, residual, 'model.norm.weight'], ['final/norm'], { epsilon: eps }, ms);
  if (fused) {
    constants.push({ name: 'const/last_index', type: TensorType.INT64, dims: [1], data: int64Bytes([-1]) });
    node('Gather', ['final/norm', 'const/last_index'], ['final/kept'], { axis: 1 });
  } else {
    // Only the last num_logits_to_keep positions go through lm_head (Slice from -k; -0 keeps every position).
    node('Neg', ['num_logits_to_keep'], ['keep/neg']);
    node('Unsqueeze', ['keep/neg', 'const/index_0'], ['keep/start']);
    node('Slice', ['final/norm', 'keep/start', 'const/int64_max', 'const/axes_1'], ['final/kept']);
  }
  if (A === TensorType.FLOAT) linear('final/kept', 'lm_head.weight', spec.vocabSize, h, 'logits');
  else {
    linear('final/kept', 'lm_head.weight', spec.vocabSize, h, 'logits/f16');
    node('Cast', ['logits/f16'], ['logits'], { to: TensorType.FLOAT });
  }

  const [cos, sin] = ropeTables(spec);
  const table = (name: string, t: Float32Array) => ({
    name,
    type: A,
    dims: [spec.contextLength, hd / 2],
    bytes: A === TensorType.FLOAT ? new Uint8Array(t.buffer) : new Uint8Array(float32ToFloat16Array(t).buffer),
  });
  return { nodes, inputs, outputs, constants, tables: [table('rope/cos', cos), table('rope/sin', sin)] };
}

/** cos/sin of position * theta^(-2i/d) for every position of the context, [context, d/2] (rotate-half layout). */
export function ropeTables(spec: DecoderSpec): [Float32Array, Float32Array] {
  const half = spec.headDim / 2;
  const cos = new Float32Array(spec.contextLength * half);
  const sin = new Float32Array(spec.contextLength * half);
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / spec.ropeTheta ** ((2 * i) / spec.headDim);
  for (let pos = 0; pos < spec.contextLength; pos++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(pos * invFreq[i]);
      cos[pos * half + i] = Math.cos(angle);
      sin[pos * half + i] = Math.sin(angle);
    }
  }
  return [cos, sin];
}

function int64Bytes(values: number[]): Uint8Array {
  return new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
}

function int32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}
