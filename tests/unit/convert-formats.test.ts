/**
 * The converter on the other checkpoint formats and architectures, each generated here from random weights with
 * its own reference: a TypeScript fp32 forward pass of the same weights (tests/support/llama-forward.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../scripts/convert/config.ts';
import { convertCheckpoint } from '../../scripts/convert/convert.ts';
import { TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { as4BitBuild } from '../../scripts/lib/checkpoint-weights.ts';
import type { Weights } from '../../scripts/lib/llama-forward.ts';
import { llamaForward } from '../../scripts/lib/llama-forward.ts';
import type { NamedTensor, TinyShape, WriteOptions } from '../support/make-checkpoint.ts';
import { internlmConfig, llamaConfig, randomTensors, writeCheckpoint } from '../support/make-checkpoint.ts';
import { forwardLogits, greedy, loadConverted, topK } from '../support/transformers-node.ts';
import { pearson } from '../../scripts/lib/stats.ts';

const TOKENIZER = join(TINY_LLAMA_DIR, 'tokenizer.model');
const SHAPE: TinyShape = { vocab: 32000, hidden: 32, intermediate: 80, layers: 2, heads: 2, bias: false };
const PROMPT = [1, 450, 4996, 17354, 1701, 29916, 432, 17204, 975];
const V = SHAPE.vocab;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'convert-formats-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function weightsOf(tensors: NamedTensor[]): Weights {
  return new Map(tensors.map((t) => [t.name, t.values]));
}

function greedyReference(config: Record<string, unknown>, weights: Weights, ids: number[], n: number): number[] {
  const spec = normalizeConfig(config);
  const seq = [...ids];
  for (let i = 0; i < n; i++) seq.push(topK(llamaForward(spec, weights, seq, { lastOnly: true }), 1)[0]);
  return seq.slice(ids.length);
}

async function convertVariant(name: string, shape: TinyShape, o: Omit<WriteOptions, 'tokenizerModel'>) {
  const tensors = randomTensors(shape, o.dtype, name.length);
  const src = join(root, `${name}-src`);
  writeCheckpoint(src, tensors, { ...o, tokenizerModel: TOKENIZER });
  const out = join(root, name);
  // Split: its logits at every position are checked (the fused layout is held to it in convert-fused.test.ts).
  await convertCheckpoint({ checkpointDir: src, outDir: out, dtypes: ['fp32', 'q4'], chatTemplate: 'none', graph: 'split' });
  return { tensors, out };
}

async function checkFp32(out: string, config: Record<string, unknown>, weights: Weights) {
  const spec = normalizeConfig(config);
  const model = await loadConverted(out, 'fp32');
  const logits = await forwardLogits(model, PROMPT);
  const expected = llamaForward(spec, weights, PROMPT);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(logits[i] - expected[i]));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  console.log(`fp32: max |logit - TS forward| = ${maxDiff.toExponential(2)} (logits up to ${maxAbs.toFixed(2)})`);
  expect(maxDiff).toBeLessThan(1e-3);
  expect(await greedy(model, PROMPT, 8)).toEqual(greedyReference(config, weights, PROMPT, 8));
  await model.dispose();
}

async function checkQ4(out: string, config: Record<string, unknown>, tensors: NamedTensor[]) {
  const spec = normalizeConfig(config);
  const shapes = new Map(tensors.map((t) => [t.name, t.shape]));
  const quantized = as4BitBuild({ spec, weights: weightsOf(tensors), shapes });
  const model = await loadConverted(out, 'q4');
  const logits = await forwardLogits(model, PROMPT);
  const last = logits.subarray((PROMPT.length - 1) * V);
  const expected = llamaForward(spec, quantized, PROMPT, { lastOnly: true });
  let maxDiff = 0;
  for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs(last[i] - expected[i]));
  const r = pearson(last, llamaForward(spec, weightsOf(tensors), PROMPT, { lastOnly: true }));
  console.log(`q4: max |logit - dequantised TS forward| = ${maxDiff.toExponential(2)}; Pearson r vs fp32 = ${r.toFixed(5)}`);
  expect(maxDiff).toBeLessThan(1e-3);
  await model.dispose();
}

describe('checkpoint formats', () => {
  it('Llama in three bf16 pytorch_model-0000N-of-00003.bin shards with an index', async () => {
    const config = llamaConfig(SHAPE);
    const { tensors, out } = await convertVariant('llama-bin', SHAPE, { format: 'bin', dtype: 'BF16', shards: 3, config });
    await checkFp32(out, config, weightsOf(tensors));
    await checkQ4(out, config, tensors);
  }, 30_000);

  it('InternLM v1 (model_type internlm, bias on q/k/v/o) in one fp16 pytorch_model.bin with ZIP64 records', async () => {
    const shape = { ...SHAPE, bias: true };
    const config = internlmConfig(shape);
    const { tensors, out } = await convertVariant('internlm-bias', shape, { format: 'bin', dtype: 'F16', shards: 1, config, zip64: true });
    await checkFp32(out, config, weightsOf(tensors));
    await checkQ4(out, config, tensors);
  }, 30_000);

  it('InternLM v1 without bias in two fp32 safetensors shards', async () => {
    const config = internlmConfig(SHAPE);
    const { tensors, out } = await convertVariant('internlm-nobias', SHAPE, { format: 'safetensors', dtype: 'F32', shards: 2, config });
    await checkFp32(out, config, weightsOf(tensors));
  }, 30_000);
});
