/**
 * Where a decode step's time goes on onnxruntime-web's WebGPU EP: runs the test model (q4 by default) in
 * headless Chromium (SwiftShader adapter, on a device without subgroups as the engine creates there) with a
 * direct InferenceSession loop shaped like the engine's: a prompt, then one token per step, present.* kept on
 * the GPU ('gpu-buffer', as transformers.js asks on WebGPU) and fed back as past_key_values, logits read back.
 * GPUDevice / queue / pass / buffer methods are wrapped in the page, and per decode step it prints
 * session.run wall time, new shader modules and compute pipelines (with the time spent creating them and
 * the WGSL entry points), dispatches, submits, buffer uploads and readbacks (mapAsync, with their time).
 *   npx tsx scripts/investigate-webgpu-decode.ts [--dtype q4|fp32] [--prompt 40] [--steps 20] [--own-device false]
 *     [--sequences 'warmup:1|turn:40,1,1,7,1'] [--synthetic] [--dump-shaders]   (--dump-shaders: each WGSL module into .cache/decode-shaders/)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './convert/fixture-models.ts';
import { ensureBenchModel } from './lib/bench-model.ts';
import { OrtPage } from './lib/ort-page.ts';
import { probeDecode, promptThenDecode, type ProbeStep } from './lib/decode-probe.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const dtype = opt('dtype', 'q4');
const promptLength = Number(opt('prompt', '40'));
const steps = Number(opt('steps', '20'));
const ownDevice = opt('own-device', 'true') !== 'false';
const synthetic = args.includes('--synthetic');
const file = dtype === 'fp32' ? 'model.onnx' : `model_${dtype}.onnx`;
const modelsDir = synthetic ? await ensureBenchModel(REPO_ROOT) : join(REPO_ROOT, 'public', 'models');
const modelId = synthetic ? 'bench-llama-170m' : 'tiny-random-agent-flan';
const config = JSON.parse(readFileSync(join(modelsDir, modelId, 'config.json'), 'utf8'));
const dir = `/models/${modelId}/onnx/`;
// --sequences 'warmup:1|turn:40,1,1,7,1': runs of N tokens, each sequence on a fresh cache (1 after a run = a decode step).
const sequences = args.includes('--sequences')
  ? opt('sequences', '').split('|').map((part) => {
      const [phase, runs] = part.split(':');
      return { phase, runs: runs.split(',').map(Number) };
    })
  : [promptThenDecode('decode', promptLength, steps)];

const page = await OrtPage.open(REPO_ROOT, [], modelsDir);
try {
  console.log('adapter', JSON.stringify(await page.adapterInfo()));
  const result = await probeDecode(page, {
    dir,
    file,
    layers: config.num_hidden_layers,
    kvHeads: config.num_key_value_heads,
    headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
    sequences,
    ownDevice,
    dumpShaders: args.includes('--dump-shaders'),
  });
  console.log(`session create ${result.createMs.toFixed(0)} ms; ${result.totals.shaderModules} shader modules, ${result.totals.pipelines} pipelines in all`);
  for (const r of result.rows) {
    const { newShaders, dispatchLog, ...rest } = r;
    console.log(JSON.stringify(rest));
    for (const s of newShaders) console.log('    new shader:', s);
    for (const d of dispatchLog) console.log('    dispatch:', d);
  }
  for (const phase of new Set(result.rows.map((r) => r.phase))) {
    const rows = result.rows.filter((r) => r.phase === phase);
    const sum = (k: keyof ProbeStep) => rows.reduce((a, r) => a + (r[k] as number), 0);
    console.log(`${phase}: ${rows.length} runs, ${sum('newPipelines')} new pipelines (${sum('pipelineMs').toFixed(0)} ms creating them), run time ${sum('runMs').toFixed(0)} ms`);
  }
  const steady = result.rows.filter((r) => r.phase === result.rows[result.rows.length - 1].phase && r.tokens === 1 && r.step >= Math.min(5, steps));
  const mean = (k: keyof ProbeStep) => steady.reduce((a, r) => a + (r[k] as number), 0) / steady.length;
  console.log(
    `decode steps ${steady[0]?.step}..${steady[steady.length - 1]?.step}: run ${mean('runMs').toFixed(1)} ms, new pipelines ${mean('newPipelines').toFixed(2)} (${mean('pipelineMs').toFixed(1)} ms), ` +
      `dispatches ${mean('dispatches').toFixed(1)}, submits ${mean('submits').toFixed(1)}, uploads ${mean('writes').toFixed(1)} (${mean('writeBytes').toFixed(0)} B), ` +
      `readbacks ${mean('maps').toFixed(1)} (${mean('mapMs').toFixed(1)} ms)`,
  );
  if (result.shaderCode.length) {
    const out = join(REPO_ROOT, '.cache', 'decode-shaders');
    mkdirSync(out, { recursive: true });
    result.shaderCode.forEach((code, i) => writeFileSync(join(out, `${i}.wgsl`), code));
    console.log(`shaders written to ${out}/N.wgsl (N = the #N above)`);
  }
} finally {
  await page.close();
}
