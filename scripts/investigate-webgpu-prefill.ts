/**
 * Runs the test model (public/models/tiny-random-agent-flan) on onnxruntime-web's WebGPU and wasm EPs in
 * headless Chromium with a fresh (empty) KV cache and compares present.N.key/value and logits per position.
 *   npx tsx scripts/investigate-webgpu-prefill.ts [--synthetic] [--dtype q4|fp32] [--lengths 16,32,40,64] [--ep webgpu|webgpu-nosubgroups]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './convert/fixture-models.ts';
import { ensureBenchModel } from './lib/bench-model.ts';
import { OrtPage, type Ep, type FeedSpec } from './lib/ort-page.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const dtype = opt('dtype', 'q4');
const lengths = opt('lengths', '16,32,33,40,64,65').split(',').map(Number);
const EP = opt('ep', 'webgpu') as Ep;
const file = dtype === 'fp32' ? 'model.onnx' : `model_${dtype}.onnx`;
// --synthetic: the 170M bench model (built into .cache/bench-models the first time), else the tiny test model.
const synthetic = args.includes('--synthetic');
const modelsDir = synthetic ? await ensureBenchModel(REPO_ROOT) : join(REPO_ROOT, 'public', 'models');
const modelId = synthetic ? 'bench-llama-170m' : 'tiny-random-agent-flan';
const config = JSON.parse(readFileSync(join(modelsDir, modelId, 'config.json'), 'utf8'));
const dir = `/models/${modelId}/onnx/`;
const LAYERS: number = config.num_hidden_layers, KV: number = config.num_key_value_heads, VOCAB: number = config.vocab_size;
const HD: number = config.head_dim ?? config.hidden_size / config.num_attention_heads;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const page = await OrtPage.open(REPO_ROOT, [], modelsDir);
console.log('adapter', JSON.stringify(await page.adapterInfo()));
try {
  for (const S of lengths) {
    const r = rng(S);
    const ids = [1, ...Array.from({ length: S - 1 }, () => 3 + Math.floor(r() * 31000))];
    const feeds: Record<string, FeedSpec> = {
      input_ids: { type: 'int64', dims: [1, S], data: ids },
      attention_mask: { type: 'int64', dims: [1, S], data: ids.map(() => 1) },
      position_ids: { type: 'int64', dims: [1, S], data: ids.map((_, i) => i) },
      num_logits_to_keep: { type: 'int64', dims: [], data: [0] },
    };
    for (let l = 0; l < LAYERS; l++) for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = { type: 'float32', dims: [1, KV, 0, HD], data: [] };
    const data = { url: dir + file + '_data', name: file + '_data' };
    const [gpu, cpu] = [await page.run(EP, dir + file, feeds, data), await page.run('wasm', dir + file, feeds, data)];
    if (gpu.error || cpu.error) throw new Error(gpu.error ?? cpu.error);
    console.log(`\n== S=${S} (${dtype}, ${EP} vs wasm)`);
    for (let l = 0; l < LAYERS; l++)
      for (const kv of ['key', 'value']) {
        const name = `present.${l}.${kv}`;
        const a = gpu.outputs[name].data, b = cpu.outputs[name].data;
        const perPos: number[] = [];
        for (let p = 0; p < S; p++) {
          let m = 0;
          for (let h = 0; h < KV; h++) for (let d = 0; d < HD; d++) { const i = (h * S + p) * HD + d; m = Math.max(m, Math.abs(a[i] - b[i])); }
          perPos.push(m);
        }
        const first = perPos.findIndex((x) => x > 1e-4);
        console.log(`${name}: max ${Math.max(...perPos).toExponential(2)}, first pos > 1e-4: ${first}; per pos: ${perPos.map((x) => x.toExponential(0)).join(' ')}`);
      }
    const a = gpu.outputs.logits.data, b = cpu.outputs.logits.data;
    const row: string[] = [];
    let argmaxDiff = 0;
    for (let p = 0; p < S; p++) {
      let m = 0, ia = 0, ib = 0;
      for (let v = 0; v < VOCAB; v++) {
        const x = a[p * VOCAB + v], y = b[p * VOCAB + v];
        m = Math.max(m, Math.abs(x - y));
        if (x > a[p * VOCAB + ia]) ia = v;
        if (y > b[p * VOCAB + ib]) ib = v;
      }
      if (ia !== ib) argmaxDiff++;
      row.push(m.toExponential(0));
    }
    console.log(`logits per pos max|d|: ${row.join(' ')}; argmax differs at ${argmaxDiff} positions`);
  }
} finally {
  console.log(page.log.filter((l) => !l.includes('Unknown CPU vendor')).slice(0, 20).join('\n'));
  await page.close();
}
