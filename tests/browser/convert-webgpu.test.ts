/**
 * The converted test model on onnxruntime-web's WebGPU execution provider in headless Chromium (SwiftShader
 * adapter here: no shader-f16, so q4 and fp32 run; q4f16 needs a GPU with shader-f16). Checks the graph's ops
 * run there and give PyTorch's (fp32) or the CPU build's (q4) logits. Runs through the same page harness as the
 * WebGPU investigation scripts (scripts/lib/ort-page.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtureModels, REPO_ROOT, TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { OrtPage, type FeedSpec } from '../../scripts/lib/ort-page.ts';
import { lastLogits, loadConverted } from '../support/transformers-node.ts';
import { pearson } from '../../scripts/lib/stats.ts';

const MODELS = join(REPO_ROOT, 'public', 'models');
const config = JSON.parse(readFileSync(join(TINY_LLAMA_DIR, 'config.json'), 'utf8')) as { max_position_embeddings: number };
const reference = JSON.parse(readFileSync(join(TINY_LLAMA_DIR, 'reference.json'), 'utf8')) as {
  cases: { input_ids: number[]; last_logits: number[] }[];
};

let page: OrtPage;

beforeAll(async () => {
  await ensureFixtureModels();
  page = await OrtPage.open(REPO_ROOT);
}, 120_000);

afterAll(async () => {
  await page?.close();
});

interface PageResult {
  adapter: string;
  lastLogits: number[];
  presentDims: number[];
  log: string[];
}

async function runOnWebGpu(file: string, inputIds: number[]): Promise<PageResult> {
  const i64 = (data: number[]): FeedSpec => ({ type: 'int64', dims: [1, data.length], data });
  const feeds: Record<string, FeedSpec> = {
    input_ids: i64(inputIds),
    attention_mask: i64(inputIds.map(() => 1)),
  };
  for (let l = 0; l < 2; l++) for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = { type: 'float32', dims: [1, 4, 0, 16], data: [] };
  const dir = '/models/tiny-random-agent-flan/onnx/';
  const logStart = page.log.length;
  const r = await page.run('webgpu', dir + file, feeds, { url: dir + file + '_data', name: file + '_data' }, ['logits', 'present.1.value']);
  if (r.error) throw new Error(r.error);
  return {
    adapter: (await page.adapterInfo()).description,
    lastLogits: r.outputs.logits.data.slice(-32000),
    presentDims: r.outputs['present.1.value'].dims,
    log: page.log.slice(logStart),
  };
}

describe('converted test model on WebGPU (onnxruntime-web in Chromium)', () => {
  const c = reference.cases[0];

  it('fp32 runs on WebGPU and matches the PyTorch logits', async () => {
    const r = await runOnWebGpu('model.onnx', c.input_ids);
    console.log(`adapter: ${r.adapter}\n${r.log.join('\n')}`);
    // The fused graph's KV cache is static: the model's whole context, written in place up to the prompt's length.
    expect(r.presentDims).toEqual([1, 4, config.max_position_embeddings, 16]);
    let maxDiff = 0;
    r.lastLogits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - c.last_logits[i]))));
    console.log(`WebGPU fp32: max |logit - PyTorch| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('q4 (MatMulNBits, fp32 activations) gives the CPU build\'s logits', async () => {
    const r = await runOnWebGpu('model_q4.onnx', c.input_ids);
    console.log(r.log.join('\n'));
    const cpu = await loadConverted(join(MODELS, 'tiny-random-agent-flan'), 'q4');
    const last = await lastLogits(cpu, c.input_ids);
    let maxDiff = 0;
    r.lastLogits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - last[i]))));
    console.log(`WebGPU q4: max |logit - CPU q4| = ${maxDiff.toExponential(2)}, Pearson r vs PyTorch = ${pearson(r.lastLogits, c.last_logits).toFixed(5)}`);
    expect(maxDiff).toBeLessThan(1e-3);
    await cpu.dispose();
  });
});
