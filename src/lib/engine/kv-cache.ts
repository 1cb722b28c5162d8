/**
 * The KV cache a decode session runs the model's InferenceSession on, and the feeds/fetches of one forward
 * pass over it. Two kinds:
 *   - `StaticGpuCache` (WebGPU, the builder's 'fused' graph): one buffer per layer and K/V holding the whole
 *     context, bound as both past_key_values.N and present.N, so GroupQueryAttention writes the new positions in
 *     place (onnxruntime's past_present_share_buffer). The attention mask is a GPU buffer as wide as the context
 *     whose ones say how many positions are valid; the decode step's token id and the logits live in buffers made
 *     once. A step uploads 16 bytes (the id and one mask element) and reads back the logits; cutting the cache
 *     back to a prefix is writing zeros over the mask's tail.
 *   - `StaticCpuCache` (wasm, the fused graph): the same contract with CPU tensors: a context-wide mask and
 *     context-long past tensors, present.N fed back as the next past (onnxruntime-web copies them in and out of
 *     the wasm heap: a few MB a step for the test model, the price of one graph for both devices); cutting back
 *     rewrites the mask.
 *   - `GrowingCpuCache` (wasm, the builder's older split graph): present.N fed back as the next past, one position
 *     longer each step, as transformers.js does; cutting back slices the tensors in JS.
 */
import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-web';
import type { ModelManifest } from '../models/manifest';

type Ort = typeof import('onnxruntime-web');
type Feeds = Record<string, Tensor>;

export interface CacheShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  contextLength: number;
  vocabSize: number;
  /** The KV cache's element type: the session's past_key_values input type. */
  elementType: 'float32' | 'float16';
}

export interface KvCache {
  /** How many positions hold valid keys and values. */
  readonly length: number;
  /** Runs `ids` on top of the cache; returns the last position's logits. */
  forward(session: InferenceSession, ids: number[]): Promise<Float32Array>;
  /** Keeps the first `keep` positions (keep <= length). */
  truncate(keep: number): void;
  /** Where the cache lives and how many tensors hold it (KvStats). */
  describe(): { tensors: number; location: string };
  dispose(): void;
}

/** The cache shape of a model as its manifest describes it. */
export function cacheShapeOf(
  m: Pick<ModelManifest, 'numLayers' | 'numKeyValueHeads' | 'headDim' | 'contextLength' | 'vocabSize'>,
  elementType: CacheShape['elementType'],
): CacheShape {
  return { layers: m.numLayers, kvHeads: m.numKeyValueHeads, headDim: m.headDim, contextLength: m.contextLength, vocabSize: m.vocabSize, elementType };
}

export const pastName = (layer: number, part: 'key' | 'value') => `past_key_values.${layer}.${part}`;
export const presentName = (layer: number, part: 'key' | 'value') => `present.${layer}.${part}`;

function* layerParts(layers: number): Generator<[number, 'key' | 'value']> {
  for (let l = 0; l < layers; l++) for (const part of ['key', 'value'] as const) yield [l, part];
}

const bytesPer = (t: CacheShape['elementType']) => (t === 'float16' ? 2 : 4);

/** The extra inputs of the builder's 'split' graph (position_ids, num_logits_to_keep) where the session has them. */
function positionalFeeds(ort: Ort, session: InferenceSession, past: number, n: number): Feeds {
  const feeds: Feeds = {};
  if (session.inputNames.includes('position_ids'))
    feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(past + i)), [1, n]);
  if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
  return feeds;
}

function lastRow(logits: Tensor): Float32Array {
  if (logits.type !== 'float32') throw new TypeError(`the model returns ${logits.type} logits, not float32`);
  const [, rows, vocab] = logits.dims;
  return (logits.data as Float32Array).slice((rows - 1) * vocab, rows * vocab);
}

export class StaticGpuCache implements KvCache {
  length = 0;
  private readonly kv: Tensor[] = [];
  private readonly past: Feeds = {};
  private readonly fetches: Record<string, Tensor> = {};
  private readonly buffers: GPUBuffer[] = [];
  private readonly mask: GPUBuffer;
  private readonly maskTensor: Tensor;
  private readonly id: GPUBuffer;
  private readonly idTensor: Tensor;
  private readonly logits: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly ones: BigInt64Array<ArrayBuffer>;

  constructor(
    private readonly ort: Ort,
    private readonly device: GPUDevice,
    private readonly shape: CacheShape,
  ) {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = (size: number) => {
      const b = device.createBuffer({ size, usage });
      this.buffers.push(b);
      return b;
    };
    const { layers, kvHeads, headDim, contextLength: C, vocabSize: V, elementType } = shape;
    for (const [l, part] of layerParts(layers)) {
      const t = ort.Tensor.fromGpuBuffer(buffer(kvHeads * C * headDim * bytesPer(elementType)), { dataType: elementType, dims: [1, kvHeads, C, headDim] });
      this.kv.push(t);
      this.past[pastName(l, part)] = t;
      this.fetches[presentName(l, part)] = t;
    }
    // A new buffer is zero-filled: the mask starts with no valid position.
    this.mask = buffer(C * 8);
    this.maskTensor = ort.Tensor.fromGpuBuffer(this.mask, { dataType: 'int64', dims: [1, C] });
    this.id = buffer(8);
    this.idTensor = ort.Tensor.fromGpuBuffer(this.id, { dataType: 'int64', dims: [1, 1] });
    this.logits = buffer(V * 4);
    this.fetches.logits = ort.Tensor.fromGpuBuffer(this.logits, { dataType: 'float32', dims: [1, 1, V] });
    this.staging = device.createBuffer({ size: V * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.ones = new BigInt64Array(C).fill(1n);
  }

  async forward(session: InferenceSession, ids: number[]): Promise<Float32Array> {
    const { contextLength: C, vocabSize: V } = this.shape;
    if (this.length + ids.length > C) throw new RangeError(`${this.length} cached + ${ids.length} new positions exceed the context of ${C}`);
    const queue = this.device.queue;
    queue.writeBuffer(this.mask, this.length * 8, this.ones, 0, ids.length);
    let input: Tensor;
    if (ids.length === 1) {
      queue.writeBuffer(this.id, 0, BigInt64Array.of(BigInt(ids[0])));
      input = this.idTensor;
    } else input = new this.ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    try {
      await session.run({ input_ids: input, attention_mask: this.maskTensor, ...this.past }, this.fetches);
    } catch (e) {
      // The positions this pass was to fill are not valid: drop them from the mask again.
      queue.writeBuffer(this.mask, this.length * 8, new BigInt64Array(ids.length));
      throw e;
    }
    this.length += ids.length;
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.logits, 0, this.staging, 0, V * 4);
    queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(this.staging.getMappedRange().slice(0));
    this.staging.unmap();
    return out;
  }

  truncate(keep: number): void {
    if (keep >= this.length) return;
    // GroupQueryAttention writes new positions right after the mask's ones, so the stale keys are overwritten.
    this.device.queue.writeBuffer(this.mask, keep * 8, new BigInt64Array(this.length - keep));
    this.length = keep;
  }

  describe() {
    return { tensors: this.kv.length, location: 'gpu-buffer' };
  }

  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.staging.destroy();
    this.buffers.length = 0;
    this.length = 0;
  }
}

export class StaticCpuCache implements KvCache {
  length = 0;
  private past: Record<string, Tensor> = {};

  constructor(
    private readonly ort: Ort,
    private readonly shape: CacheShape,
  ) {
    const { layers, kvHeads, headDim, contextLength: C, elementType } = shape;
    const size = kvHeads * C * headDim;
    for (const [l, part] of layerParts(layers))
      this.past[pastName(l, part)] = new ort.Tensor(elementType, elementType === 'float16' ? new Uint16Array(size) : new Float32Array(size), [1, kvHeads, C, headDim]);
  }

  async forward(session: InferenceSession, ids: number[]): Promise<Float32Array> {
    const C = this.shape.contextLength;
    if (this.length + ids.length > C) throw new RangeError(`${this.length} cached + ${ids.length} new positions exceed the context of ${C}`);
    const mask = new BigInt64Array(C);
    mask.fill(1n, 0, this.length + ids.length);
    const out = await session.run({
      input_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new this.ort.Tensor('int64', mask, [1, C]),
      ...this.past,
    });
    for (const [l, part] of layerParts(this.shape.layers)) this.past[pastName(l, part)] = out[presentName(l, part)];
    this.length += ids.length;
    return lastRow(out.logits);
  }

  truncate(keep: number): void {
    this.length = Math.min(this.length, keep);
  }

  describe() {
    return { tensors: Object.keys(this.past).length, location: 'cpu' };
  }

  dispose(): void {
    this.length = 0;
  }
}

export class GrowingCpuCache implements KvCache {
  private past: Record<string, Tensor> = {};
  length = 0;

  constructor(
    private readonly ort: Ort,
    private readonly shape: CacheShape,
  ) {
    this.clear();
  }

  private clear(): void {
    const { layers, kvHeads, headDim, elementType } = this.shape;
    const empty = elementType === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    for (const [l, part] of layerParts(layers)) this.past[pastName(l, part)] = new this.ort.Tensor(elementType, empty, [1, kvHeads, 0, headDim]);
    this.length = 0;
  }

  async forward(session: InferenceSession, ids: number[]): Promise<Float32Array> {
    const total = this.length + ids.length;
    const out = await session.run({
      input_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new this.ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      ...positionalFeeds(this.ort, session, this.length, ids.length),
      ...this.past,
    });
    for (const [l, part] of layerParts(this.shape.layers)) this.past[pastName(l, part)] = out[presentName(l, part)];
    this.length = total;
    return lastRow(out.logits);
  }

  truncate(keep: number): void {
    if (keep >= this.length) return;
    if (keep === 0) return this.clear();
    const { kvHeads, headDim } = this.shape;
    for (const name of Object.keys(this.past)) {
      const t = this.past[name] as TypedTensor<'float32' | 'float16'>;
      const len = t.dims[2];
      const data = t.data as Float32Array | Uint16Array;
      const kept = new (data.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(kvHeads * keep * headDim);
      for (let h = 0; h < kvHeads; h++) kept.set(data.subarray(h * len * headDim, (h * len + keep) * headDim), h * keep * headDim);
      this.past[name] = new this.ort.Tensor(t.type, kept, [1, kvHeads, keep, headDim]);
    }
    this.length = keep;
  }

  describe() {
    return { tensors: Object.keys(this.past).length, location: 'cpu' };
  }

  dispose(): void {
    this.clear();
  }
}
