/** How each checkpoint tensor becomes initializers of each build (layout, element type, 4-bit packing). */
import type { DecoderSpec } from './config.ts';
import { float32ToFloat16Array } from './dtype.ts';
import type { BuildDtype, GraphLayout, Q8Target } from './graph.ts';
import { activationType, isQuantized, linearNames, projectionBits, symmetricProjection } from './graph.ts';
import type { TensorTypeId } from '../../src/lib/onnx/proto.ts';
import { TensorType } from '../../src/lib/onnx/proto.ts';
import { BLOCK_SIZE, type Quantized4 } from './quantize.ts';
import { quantizeBlocks } from './quantize.ts';

export type WeightRole = 'embedding' | 'linear' | 'vector';

export interface PlannedWeight {
  /** Checkpoint tensors to read, concatenated along their first axis (one, except the fused layout's q/k/v). */
  sources: string[];
  /** Initializer base name in the graph. */
  target: string;
  role: WeightRole;
}

export interface EncodedTensor {
  name: string;
  type: TensorTypeId;
  dims: number[];
  bytes: Uint8Array;
}

/**
 * Every tensor the graph needs, in the order they are written (the checkpoint's natural order). The fused
 * layout (graph.ts) packs q/k/v rows into one `qkv_proj` (and their biases into one): 4-bit blocks run along a row,
 * so packing rows quantises exactly as the separate matrices do.
 */
export function planWeights(spec: DecoderSpec, layout: GraphLayout = 'split'): PlannedWeight[] {
  const plan: PlannedWeight[] = [];
  const add = (sources: string | string[], role: WeightRole, target = [sources].flat()[0]) => plan.push({ sources: [sources].flat(), target, role });
  add('model.embed_tokens.weight', 'embedding');
  for (let i = 0; i < spec.numLayers; i++) {
    const p = `model.layers.${i}`;
    const attn = (proj: string, part = 'weight') => `${p}.self_attn.${proj}.${part}`;
    add(`${p}.input_layernorm.weight`, 'vector');
    if (layout === 'fused') {
      const qkv = ['q_proj', 'k_proj', 'v_proj'];
      add(qkv.map((proj) => attn(proj)), 'linear', attn('qkv_proj'));
      if (spec.attentionBias) add(qkv.map((proj) => attn(proj, 'bias')), 'vector', attn('qkv_proj', 'bias'));
      add(attn('o_proj'), 'linear');
      if (spec.attentionBias) add(attn('o_proj', 'bias'), 'vector');
    } else {
      for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
        add(attn(proj), 'linear');
        if (spec.attentionBias) add(attn(proj, 'bias'), 'vector');
      }
    }
    add(`${p}.post_attention_layernorm.weight`, 'vector');
    for (const proj of ['gate_proj', 'up_proj', 'down_proj']) add(`${p}.mlp.${proj}.weight`, 'linear');
  }
  add('model.norm.weight', 'vector');
  add(spec.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight', 'linear', 'lm_head.weight');
  return plan;
}

/** The tensors of `parts` (each [rows, ...rest] with the same rest) as one [sum of rows, ...rest]. */
export function concatRows(parts: { values: Float32Array; shape: number[] }[]): { values: Float32Array; shape: number[] } {
  if (parts.length === 1) return parts[0];
  const values = new Float32Array(parts.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    at += p.values.length;
  }
  return { values, shape: [parts.reduce((n, p) => n + p.shape[0], 0), ...parts[0].shape.slice(1)] };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function floats(values: Float32Array, type: TensorTypeId): Uint8Array {
  return type === TensorType.FLOAT ? bytesOf(values) : bytesOf(float32ToFloat16Array(values));
}

/** [N, K] -> [K, N] for a plain MatMul. */
function transpose(w: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) out[c * n + r] = w[r * k + c];
  return out;
}

/**
 * Encodes one tensor for several builds at once, quantising a linear weight only once for all quantised builds
 * (4-bit codes, or 8-bit for the projections `q8` names; symmetric for gate and up: graph.ts symmetricProjection).
 */
export function encodeWeight(w: PlannedWeight, values: Float32Array, shape: number[], dtypes: BuildDtype[], q8: readonly Q8Target[] = []): Map<BuildDtype, EncodedTensor[]> {
  const out = new Map<BuildDtype, EncodedTensor[]>();
  let q: Quantized4 | undefined;
  for (const dtype of dtypes) {
    const A = activationType(dtype);
    if (w.role === 'vector') out.set(dtype, [{ name: w.target, type: A, dims: shape, bytes: floats(values, A) }]);
    else if (w.role === 'embedding') out.set(dtype, [{ name: w.target, type: A, dims: shape, bytes: floats(values, A) }]);
    else {
      const [n, k] = shape;
      const bits = projectionBits(w.target, q8);
      const names = linearNames(w.target, bits);
      if (!isQuantized(dtype)) {
        out.set(dtype, [{ name: names.matrix, type: A, dims: [k, n], bytes: floats(transpose(values, n, k), A) }]);
        continue;
      }
      q ??= quantizeBlocks(values, n, k, bits, symmetricProjection(w.target));
      out.set(dtype, [
        { name: names.packed, type: TensorType.UINT8, dims: [n, q.kBlocks, (BLOCK_SIZE * bits) / 8], bytes: q.packed },
        { name: names.scales, type: A, dims: [n * q.kBlocks], bytes: floats(q.scales, A) },
        ...(q.zeroPoints.length ? [{ name: names.zeroPoints, type: TensorType.UINT8, dims: [q.zeroPoints.length], bytes: q.zeroPoints }] : []),
      ]);
    }
  }
  return out;
}
