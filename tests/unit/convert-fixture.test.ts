/**
 * The shared tiny Llama fixture, converted and run with transformers.js on onnxruntime-node, against the logits
 * and greedy continuations PyTorch transformers computed (reference.json).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCheckpoint } from '../../scripts/convert/convert.ts';
import { TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { renderPrompt } from '../../src/lib/agent/template.ts';
import type { ModelManifest } from '../../src/lib/models/manifest.ts';
import { as4BitBuild, loadCheckpoint } from '../../scripts/lib/checkpoint-weights.ts';
import type { Weights } from '../../scripts/lib/llama-forward.ts';
import { llamaForward } from '../../scripts/lib/llama-forward.ts';
import { forwardLogits, greedy, loadConverted, loadConvertedTokenizer, topK } from '../support/transformers-node.ts';
import { pearson } from '../../scripts/lib/stats.ts';

const SRC = TINY_LLAMA_DIR;
const reference = JSON.parse(readFileSync(join(SRC, 'reference.json'), 'utf8')) as {
  cases: { input_ids: number[]; last_logits: number[]; top5_ids: number[][]; top5_logits: number[][]; greedy_16: number[] }[];
};
const V = 32000;
const checkpoint = loadCheckpoint(SRC);

function greedyReference(weights: Weights, ids: number[], n: number): number[] {
  const seq = [...ids];
  for (let i = 0; i < n; i++) {
    seq.push(topK(llamaForward(checkpoint.spec, weights, seq, { lastOnly: true }), 1)[0]);
  }
  return seq.slice(ids.length);
}

let root: string;
let out: string;
let manifest: ModelManifest;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'convert-fixture-'));
  out = join(root, 'tiny');
  // The split graph returns logits at every position, which the per-position checks below need; the fused graph
  // (the default) is held to the split graph's logits in convert-fused.test.ts.
  manifest = await convertCheckpoint({ checkpointDir: SRC, outDir: out, dtypes: ['fp32', 'q4', 'q4f16'], chatTemplate: 'agent-flan', graph: 'split' });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('converted tiny fixture', () => {
  it('fp32 matches the PyTorch logits at every position and reproduces every greedy continuation', async () => {
    const model = await loadConverted(out, 'fp32');
    for (const c of reference.cases) {
      const logits = await forwardLogits(model, c.input_ids);
      const S = c.input_ids.length;
      const last = logits.subarray((S - 1) * V, S * V);
      let maxDiff = 0;
      for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs(last[i] - c.last_logits[i]));
      console.log(`fp32 case of ${S} tokens: max |logit - reference| = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThan(1e-3);
      for (let p = 0; p < S; p++) {
        const row = logits.subarray(p * V, (p + 1) * V);
        const ids = topK(row, 5);
        c.top5_ids[p].forEach((id, j) => {
          expect(Math.abs(row[id] - c.top5_logits[p][j])).toBeLessThan(1e-3);
          // Equal-looking logits may swap order; otherwise the ranking must be the reference's.
          if (ids[j] !== id) expect(Math.abs(row[ids[j]] - row[id])).toBeLessThan(1e-4);
        });
      }
      expect(await greedy(model, c.input_ids, 16)).toEqual(c.greedy_16);
    }
    await model.dispose();
  }, 30_000);

  // Round-to-nearest 4-bit (block 32) on this fixture's random Gaussian weights costs r ~ 0.977 over its seven
  // chained matrices; the graph itself must compute exactly what the quantised weights say, checked against the
  // TypeScript forward pass on the same dequantised weights.
  it('q4 tracks the reference logits and computes exactly what its 4-bit weights say', async () => {
    const model = await loadConverted(out, 'q4');
    const quantized = as4BitBuild(checkpoint);
    for (const c of reference.cases) {
      const logits = await forwardLogits(model, c.input_ids);
      const S = c.input_ids.length;
      const last = logits.subarray((S - 1) * V, S * V);
      const r = pearson(last, c.last_logits);
      console.log(`q4 case of ${S} tokens: Pearson r of last-position logits vs PyTorch = ${r.toFixed(5)}`);
      expect(r).toBeGreaterThanOrEqual(0.97);
      const expected = llamaForward(checkpoint.spec, quantized, c.input_ids, { lastOnly: true });
      let maxDiff = 0;
      for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs(last[i] - expected[i]));
      console.log(`q4 case of ${S} tokens: max |logit - dequantised TS forward| = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThan(1e-3);
      expect(await greedy(model, c.input_ids, 16)).toEqual(greedyReference(quantized, c.input_ids, 16));
    }
    await model.dispose();
  }, 30_000);

  it('q4f16 loads and runs on onnxruntime-node CPU (fp16 activations and KV cache, fp32 logits)', async () => {
    const model = await loadConverted(out, 'q4f16');
    const quantized = as4BitBuild(checkpoint);
    for (const c of reference.cases) {
      const logits = await forwardLogits(model, c.input_ids);
      const S = c.input_ids.length;
      const last = logits.subarray((S - 1) * V, S * V);
      const expected = llamaForward(checkpoint.spec, quantized, c.input_ids, { lastOnly: true });
      const r = pearson(last, expected);
      console.log(`q4f16 case of ${S} tokens: Pearson r vs dequantised fp32 forward = ${r.toFixed(6)}, vs PyTorch = ${pearson(last, c.last_logits).toFixed(5)}`);
      expect(r).toBeGreaterThanOrEqual(0.999);
      expect(await greedy(model, c.input_ids, 4)).toHaveLength(4);
    }
    await model.dispose();
  }, 30_000);

  it('writes a manifest whose sizes and hashes match the files, and the Agent-FLAN stop ids', async () => {
    const { createHash } = await import('node:crypto');
    const files = [...manifest.common, ...Object.values(manifest.dtypes).flatMap((d) => d!.files)];
    for (const f of files) {
      const data = readFileSync(join(out, f.path));
      expect(data.byteLength, f.path).toBe(f.bytes);
      expect(createHash('sha256').update(data).digest('hex'), f.path).toBe(f.sha256);
    }
    expect(Object.keys(manifest.dtypes).sort()).toEqual(['fp32', 'q4', 'q4f16']);
    expect(manifest.stopTokenIds).toEqual([2, 30387]);
    const gen = JSON.parse(readFileSync(join(out, 'generation_config.json'), 'utf8'));
    expect(gen.eos_token_id).toEqual([2, 30387]);
    // The converted tokenizer_config carries the Agent-FLAN template: it renders as renderPrompt does, and the
    // role markers tokenize to the ids sentencepiece gives (shared/agent-flan.md).
    const tokenizer = await loadConvertedTokenizer(out);
    const messages = [{ role: 'user' as const, content: 'Hello!' }];
    expect(tokenizer.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false })).toBe('<s>' + renderPrompt(messages));
    const { input_ids } = tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_tensor: false, return_dict: true }) as unknown as { input_ids: number[] };
    const human = [529, 29989, 29950, 7889, 29989, 29958, 30840];
    const assistant = [529, 29989, 7900, 22137, 29989, 29958, 30840];
    expect(input_ids.slice(0, 8)).toEqual([1, ...human]);
    expect(input_ids.slice(-7)).toEqual(assistant);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(cfg['transformers.js_config'].use_external_data_format).toEqual({ 'model_q4f16.onnx': 1, 'model_q4.onnx': 1, 'model.onnx': 1 });
  });
});
