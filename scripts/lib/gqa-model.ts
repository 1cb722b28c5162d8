/** A one-node ONNX model: com.microsoft GroupQueryAttention (causal, no rotary), float32, batch 1. */
import { encodeModel, TensorType } from '../../src/lib/onnx/proto.ts';
import type { FeedSpec } from './ort-page.ts';

export function gqaModel(numHeads: number, kvHeads: number, headDim: number): Uint8Array {
  return encodeModel({
    graphName: 'gqa',
    producer: 'repro',
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    inputs: [
      { name: 'query', type: TensorType.FLOAT, shape: [1, 'S', numHeads * headDim] },
      { name: 'key', type: TensorType.FLOAT, shape: [1, 'S', kvHeads * headDim] },
      { name: 'value', type: TensorType.FLOAT, shape: [1, 'S', kvHeads * headDim] },
      { name: 'past_key', type: TensorType.FLOAT, shape: [1, kvHeads, 'P', headDim] },
      { name: 'past_value', type: TensorType.FLOAT, shape: [1, kvHeads, 'P', headDim] },
      { name: 'seqlens_k', type: TensorType.INT32, shape: [1] },
      { name: 'total_sequence_length', type: TensorType.INT32, shape: [] },
    ],
    outputs: [
      { name: 'output', type: TensorType.FLOAT, shape: [1, 'S', numHeads * headDim] },
      { name: 'present_key', type: TensorType.FLOAT, shape: [1, kvHeads, 'T', headDim] },
      { name: 'present_value', type: TensorType.FLOAT, shape: [1, kvHeads, 'T', headDim] },
    ],
    initializers: [],
    nodes: [
      {
        opType: 'GroupQueryAttention',
        domain: 'com.microsoft',
        name: 'gqa',
        inputs: ['query', 'key', 'value', 'past_key', 'past_value', 'seqlens_k', 'total_sequence_length'],
        outputs: ['output', 'present_key', 'present_value'],
        attrs: { num_heads: numHeads, kv_num_heads: kvHeads },
      },
    ],
  });
}

/** Inputs for `gqaModel`: S new tokens on a past of `past`, values uniform in [-2, 2) from a fixed LCG seed. */
export function gqaFeeds(S: number, past: number, numHeads: number, kvHeads: number, headDim: number): Record<string, FeedSpec> {
  let s = (S * 7919 + past) >>> 0;
  const rand = (n: number) => Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
  return {
    query: { type: 'float32', dims: [1, S, numHeads * headDim], data: rand(S * numHeads * headDim) },
    key: { type: 'float32', dims: [1, S, kvHeads * headDim], data: rand(S * kvHeads * headDim) },
    value: { type: 'float32', dims: [1, S, kvHeads * headDim], data: rand(S * kvHeads * headDim) },
    past_key: { type: 'float32', dims: [1, kvHeads, past, headDim], data: rand(kvHeads * past * headDim) },
    past_value: { type: 'float32', dims: [1, kvHeads, past, headDim], data: rand(kvHeads * past * headDim) },
    seqlens_k: { type: 'int32', dims: [1], data: [past + S - 1] },
    total_sequence_length: { type: 'int32', dims: [], data: [past + S] },
  };
}
