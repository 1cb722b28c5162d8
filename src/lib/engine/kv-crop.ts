/**
 * A tiny ONNX graph that cuts every KV tensor [batch, heads, length, head_dim] back to its first `keep`
 * positions (Slice on axis 2). Run on the model's own execution provider, GPU tensors in and out, it
 * costs one copy of the cache instead of a prefill of the whole prefix.
 */
import { encodeModel, TensorType } from '../onnx/proto';

export const CROP_KEEP_INPUT = 'keep';
export const croppedName = (name: string) => `${name}/cropped`;

export function cropModel(names: string[], elementType: 'float32' | 'float16'): Uint8Array {
  const type = elementType === 'float16' ? TensorType.FLOAT16 : TensorType.FLOAT;
  const int64 = (v: number) => new Uint8Array(BigInt64Array.of(BigInt(v)).buffer);
  const shape = ['batch', 'heads', 'length', 'head_dim'];
  return encodeModel({
    graphName: 'kv_crop',
    producer: 'agent-flan-web',
    opsets: [{ domain: '', version: 17 }],
    initializers: [
      { name: 'zero', type: TensorType.INT64, dims: [1], data: int64(0) },
      { name: 'axis', type: TensorType.INT64, dims: [1], data: int64(2) },
    ],
    inputs: [{ name: CROP_KEEP_INPUT, type: TensorType.INT64, shape: [1] }, ...names.map((name) => ({ name, type, shape }))],
    outputs: names.map((name) => ({ name: croppedName(name), type, shape: ['batch', 'heads', 'kept', 'head_dim'] })),
    nodes: names.map((name, i) => ({
      opType: 'Slice',
      name: `crop_${i}`,
      inputs: [name, 'zero', CROP_KEEP_INPUT, 'axis'],
      outputs: [croppedName(name)],
    })),
  });
}
