/**
 * What a forward pass costs onnxruntime-web's WebGPU EP beyond its kernels, counted (not timed) on the test
 * model's q4 build in headless Chromium (scripts/lib/decode-probe.ts wraps the WebGPU API in the page and
 * runs the model the way the engine does: the fused graph on the static KV cache of src/lib/engine/kv-cache.ts).
 * After the engine's warm-up passes (src/lib/engine/warmup.ts), no run of a conversation — fresh prompts, decode
 * steps, cache extensions of 2 to 33 tokens — creates a shader module or a compute pipeline; a decode step
 * creates no GPU buffer at all; every decode step dispatches the same kernels; the KV cache stays on the GPU;
 * only the logits are read back (one mapAsync per run); what a decode step uploads (the id, one mask
 * element, uniforms) does not grow with the cache; and a decode step dispatches at most 8 kernels per layer (half
 * the 16 of the split graph before issue 16), which needs onnxruntime's MatMulNBitsMlp fusion of the norm, gate, up
 * and SiLU (scripts/convert/graph.ts symmetricProjection). Timings are printed, not asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/convert/fixture-models.ts';
import { probeDecode } from '../../scripts/lib/decode-probe.ts';
import { OrtPage } from '../../scripts/lib/ort-page.ts';
import { WEBGPU_WARMUP_PASSES } from '../../src/lib/engine/warmup.ts';

const MODEL = 'tiny-random-agent-flan';

describe('forward passes on WebGPU after the engine warm-up', () => {
  it('compile nothing, create no buffer per decode step, keep the KV cache on the GPU and read back only the logits', async () => {
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'public', 'models', MODEL, 'config.json'), 'utf8'));
    const headDim: number = config.head_dim ?? config.hidden_size / config.num_attention_heads;
    const page = await OrtPage.open(REPO_ROOT);
    try {
      const { rows } = await probeDecode(page, {
        dir: `/models/${MODEL}/onnx/`,
        file: 'model_q4.onnx',
        layers: config.num_hidden_layers,
        kvHeads: config.num_key_value_heads,
        headDim,
        sequences: [
          { phase: 'warmup', runs: [...WEBGPU_WARMUP_PASSES] },
          // A 40-token prompt and decode steps, then extensions of each size class, each followed by a step.
          { phase: 'turn', runs: [40, 1, 1, 1, 5, 1, 2, 1, 31, 1, 33, 1] },
          { phase: 'short', runs: [7, 1, 3, 1] },
        ],
        ownDevice: true,
        dumpShaders: false,
        staticCache: { contextLength: config.max_position_embeddings, vocabSize: config.vocab_size },
      });
      console.table(rows.map(({ newShaders, dispatchLog, ...r }) => r));
      expect(rows.filter((r) => r.phase === 'warmup').reduce((a, r) => a + r.newPipelines, 0)).toBeGreaterThan(0);
      const turns = rows.filter((r) => r.phase !== 'warmup');
      for (const r of turns) {
        const at = `${r.phase} run ${r.step} (${r.tokens} tokens on ${r.past})`;
        expect(r.newShaderModules, at).toBe(0);
        expect(r.newPipelines, at).toBe(0);
        expect(r.presentLocation, at).toBe('gpu-buffer');
        expect(r.maps, `${at}: readbacks`).toBe(1);
      }
      const decodeSteps = turns.filter((r) => r.tokens === 1 && r.past > 0);
      for (const r of decodeSteps) {
        const at = `${r.phase} run ${r.step} (decode on ${r.past})`;
        expect(r.dispatches, at).toBe(decodeSteps[0].dispatches);
        expect(r.buffersCreated, `${at}: GPU buffers created`).toBe(0);
        // Uploads do not grow with the cache (7 to 117 cached tokens here): no KV tensor goes up.
        expect(r.writeBytes, `${at}: bytes uploaded`).toBe(decodeSteps[0].writeBytes);
      }
      // Outside the layers: the embedding Gather, layer 0's norm, the mask's Gather/ReduceSum/Cast/Sub, the final
      // norm, the last-position Gather and lm_head; the norm between layers belongs to the layer after it.
      const outsideLayers = 9;
      expect(decodeSteps[0].dispatches, 'dispatches per decode step').toBeLessThanOrEqual(8 * config.num_hidden_layers + outsideLayers);
      const longest = Math.max(...decodeSteps.map((r) => r.past));
      expect(decodeSteps[0].writeBytes).toBeLessThan(config.num_key_value_heads * longest * headDim * 4);
    } finally {
      await page.close();
    }
  }, 300_000);
});
