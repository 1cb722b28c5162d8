/**
 * The builder's fused graph (packed QKV into GroupQueryAttention with rotary inside, gate/up as one projection,
 * lengths from the mask's sum) against its split graph on the same weights, on onnxruntime-node (CPU):
 * the same logits (fp32 <= 1e-4, q4/q4f16 <= 1e-3) for fresh prompts, and the same greedy continuations and
 * per-step logits over a 4-turn agent conversation with KV reuse through the engine's decode session, the split
 * graph on the growing cache and the fused graph on the static one (a context-wide mask and context-long past
 * tensors fed back, as the engine runs it on wasm; on WebGPU the same buffers are bound as past and present).
 * Also a 2-layer model with Llama-2-7B widths (hidden 4096, 32 heads of 128, MLP 11008).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCheckpoint } from '../../scripts/convert/convert.ts';
import { TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { onnxFileName, type BuildDtype, type GraphLayout } from '../../scripts/convert/graph.ts';
import { writeSevenBWidthCheckpoint } from '../../scripts/lib/seven-b-checkpoint.ts';
import { DecodeSession, type DecodeModel } from '../../src/lib/engine/decode-session.ts';
import { GrowingCpuCache, StaticCpuCache, type CacheShape, type KvCache } from '../../src/lib/engine/kv-cache.ts';
import { promptEncoder } from '../../src/lib/engine/prompt-tokens.ts';
import { ASSISTANT_BEGIN, ASSISTANT_END, HUMAN_BEGIN, HUMAN_END } from '../../src/lib/agent/template.ts';
import type { ModelManifest } from '../../src/lib/models/manifest.ts';
import { loadConvertedTokenizer } from '../support/transformers-node.ts';

type OrtWeb = typeof import('onnxruntime-web');
const ortLike = ort as unknown as OrtWeb;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'convert-fused-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function convertBoth(src: string, name: string, dtypes: BuildDtype[]): Promise<Record<GraphLayout, { dir: string; manifest: ModelManifest }>> {
  const out = {} as Record<GraphLayout, { dir: string; manifest: ModelManifest }>;
  for (const graph of ['split', 'fused'] as const) {
    const dir = join(root, `${name}-${graph}`);
    out[graph] = { dir, manifest: await convertCheckpoint({ checkpointDir: src, outDir: dir, dtypes, chatTemplate: 'agent-flan', graph }) };
  }
  return out;
}

const session = (dir: string, dtype: BuildDtype) => ort.InferenceSession.create(join(dir, 'onnx', onnxFileName(dtype)));

function shapeOf(m: ModelManifest, dtype: BuildDtype): CacheShape {
  return {
    layers: m.numLayers,
    kvHeads: m.numKeyValueHeads,
    headDim: m.headDim,
    contextLength: m.contextLength,
    vocabSize: m.vocabSize,
    elementType: dtype === 'q4f16' ? 'float16' : 'float32',
  };
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const TOLERANCE: Record<BuildDtype, number> = { fp32: 1e-4, q4: 1e-3, q4f16: 1e-3 };

describe('fused graph vs split graph, same weights (tiny fixture)', () => {
  let models: Awaited<ReturnType<typeof convertBoth>>;
  beforeAll(async () => {
    models = await convertBoth(TINY_LLAMA_DIR, 'tiny', ['fp32', 'q4', 'q4f16']);
  }, 60_000);

  it('fresh prompts give the same last-position logits, and the fused graph has neither position_ids nor RotaryEmbedding inputs', async () => {
    const prompts = [[1, 450, 4996, 17354, 1701, 432], Array.from({ length: 70 }, (_, i) => (i === 0 ? 1 : 3 + ((i * 7919) % 31000)))];
    for (const dtype of ['fp32', 'q4', 'q4f16'] as const) {
      const shape = shapeOf(models.fused.manifest, dtype);
      const [split, fused] = [await session(models.split.dir, dtype), await session(models.fused.dir, dtype)];
      expect(fused.inputNames).not.toContain('position_ids');
      expect(split.inputNames).toContain('position_ids');
      for (const ids of prompts) {
        const a = await new GrowingCpuCache(ortLike, shape).forward(split as never, ids);
        const b = await new StaticCpuCache(ortLike, shape).forward(fused as never, ids);
        const d = maxAbsDiff(a, b);
        console.log(`${dtype}, ${ids.length}-token prompt: max |fused - split| = ${d.toExponential(2)}`);
        expect(d).toBeLessThanOrEqual(TOLERANCE[dtype]);
      }
      await Promise.all([split.release(), fused.release()]);
    }
  }, 60_000);

  it('a 4-turn agent conversation with KV reuse: identical greedy continuations, per-step logits within tolerance', async () => {
    const tokenizer = await loadConvertedTokenizer(models.fused.dir);
    const encode = promptEncoder(tokenizer);
    const observations = ['[(1, "Alice", 30), (2, "Bob", 25)]', '[(3,)]', 'Query OK, 1 row affected', '[("done",)]'];
    for (const dtype of ['fp32', 'q4'] as const) {
      const shape = shapeOf(models.fused.manifest, dtype);
      const steps: Record<GraphLayout, Float32Array[]> = { split: [], fused: [] };
      const run = async (graph: GraphLayout) => {
        const s = await session(models[graph].dir, dtype);
        const model: DecodeModel = { session: s as never, manifest: models[graph].manifest, encode, decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }) };
        const cache = graph === 'fused' ? new StaticCpuCache(ortLike, shape) : new GrowingCpuCache(ortLike, shape);
        const record: KvCache = {
          get length() {
            return cache.length;
          },
          forward: async (sess, ids) => {
            const logits = await cache.forward(sess, ids);
            steps[graph].push(logits);
            return logits;
          },
          truncate: (keep) => cache.truncate(keep),
          describe: () => cache.describe(),
          dispose: () => cache.dispose(),
        };
        const decode = new DecodeSession(model, record);
        let history = `${HUMAN_BEGIN}You are a database agent. Answer with SQL.${HUMAN_END}${HUMAN_BEGIN}How many users are older than 26?${HUMAN_END}`;
        const turns = [];
        for (const obs of observations) {
          const r = await decode.generate({ prompt: history + ASSISTANT_BEGIN, temperature: 0, maxNewTokens: 5, stop: [] }, () => {}, () => false);
          turns.push(r);
          history += `${ASSISTANT_BEGIN}${r.text}${ASSISTANT_END}${HUMAN_BEGIN}${obs}${HUMAN_END}`;
        }
        await s.release();
        return turns;
      };
      const [split, fused] = [await run('split'), await run('fused')];
      expect(fused.map((t) => t.text)).toEqual(split.map((t) => t.text));
      expect(fused.map((t) => t.timings.reusedTokens)).toEqual(split.map((t) => t.timings.reusedTokens));
      expect(fused.slice(1).every((t) => t.timings.reusedTokens > 0)).toBe(true);
      expect(steps.fused.length).toBe(steps.split.length);
      const worst = Math.max(...steps.fused.map((l, i) => maxAbsDiff(l, steps.split[i])));
      console.log(`${dtype}: 4 turns, ${steps.fused.length} forward passes, max |fused - split| = ${worst.toExponential(2)}; texts ${JSON.stringify(fused.map((t) => t.text))}`);
      expect(worst).toBeLessThanOrEqual(TOLERANCE[dtype]);
    }
  }, 120_000);
});

describe('--q8', () => {
  it('8-bit lm_head, v (packed qkv), o and down projections: larger, and closer to the fp32 logits than all-4-bit', async () => {
    const build = (name: string, q8: ('lm_head' | 'v_proj' | 'o_proj' | 'down_proj')[]) =>
      convertCheckpoint({ checkpointDir: TINY_LLAMA_DIR, outDir: join(root, name), dtypes: name === 'q4' ? ['q4', 'fp32'] : ['q4'], chatTemplate: 'agent-flan', q8 });
    const [plain, eight] = [await build('q4', []), await build('q8', ['lm_head', 'v_proj', 'o_proj', 'down_proj'])];
    console.log(`q4 download ${plain.dtypes.q4!.bytes} B, with --q8 lm_head,v_proj,o_proj,down_proj ${eight.dtypes.q4!.bytes} B`);
    // At least the lm_head's extra half byte per weight (plus its 8-bit zero points).
    expect(eight.dtypes.q4!.bytes - plain.dtypes.q4!.bytes).toBeGreaterThan((32000 * 64) / 2);
    const shape = shapeOf(plain, 'q4');
    const ids = [1, 450, 4996, 17354, 1701, 432, 17204, 975, 278, 17366, 11203, 29889];
    const last = async (dir: string, dtype: BuildDtype) => {
      const s = await session(dir, dtype);
      const l = await new StaticCpuCache(ortLike, { ...shape, elementType: 'float32' }).forward(s as never, ids);
      await s.release();
      return l;
    };
    const ref = await last(join(root, 'q4'), 'fp32');
    const [d4, d8] = [maxAbsDiff(await last(join(root, 'q4'), 'q4'), ref), maxAbsDiff(await last(join(root, 'q8'), 'q4'), ref)];
    console.log(`max |logit - fp32|: all 4-bit ${d4.toFixed(4)}, --q8 ${d8.toFixed(4)}`);
    expect(d8).toBeLessThan(d4 / 2);
  }, 60_000);
});

describe('Llama-2-7B widths', () => {
  it('a 2-layer q4 model with hidden 4096, 32 heads of 128 and MLP 11008: fused and split give the same logits, prefill and a static-cache decode step', async () => {
    const src = join(root, 'wide-src');
    // A 512-token vocabulary keeps the embedding and lm_head small; every layer has the 7B's shapes.
    mkdirSync(src);
    writeSevenBWidthCheckpoint(src, { layers: 2, vocab: 512 });
    const models = await convertBoth(src, 'wide', ['q4']);
    rmSync(src, { recursive: true, force: true });
    const shape = shapeOf(models.fused.manifest, 'q4');
    expect([shape.kvHeads, shape.headDim]).toEqual([32, 128]);
    const [split, fused] = [await session(models.split.dir, 'q4'), await session(models.fused.dir, 'q4')];
    const ids = [1, 300, 17, 42, 511, 9, 128, 77];
    const grow = new GrowingCpuCache(ortLike, shape);
    const fixed = new StaticCpuCache(ortLike, shape);
    for (const part of [ids, [5]]) {
      const a = await grow.forward(split as never, part);
      const b = await fixed.forward(fused as never, part);
      const d = maxAbsDiff(a, b);
      console.log(`7B widths, ${part.length} new token(s) on ${grow.length - part.length}: max |fused - split| = ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(TOLERANCE.q4);
    }
    await Promise.all([split.release(), fused.release()]);
  }, 600_000);
});
