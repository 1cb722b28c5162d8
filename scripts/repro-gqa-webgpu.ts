/**
 * Minimal reproduction: one com.microsoft GroupQueryAttention node (no rotary, empty past) run on
 * onnxruntime-web's WebGPU EP and on its wasm (CPU) EP in headless Chromium, on the same random inputs.
 * Prints, per prompt length, the largest |WebGPU - CPU| of the attention output and the first query
 * position that differs.
 *   npx tsx scripts/repro-gqa-webgpu.ts [--lengths 16,31,32,64] [--heads 4] [--kv-heads 4] [--head-dim 16] [--dump-shaders]
 */
import { REPO_ROOT } from './convert/fixture-models.ts';
import { OrtPage, type Ep } from './lib/ort-page.ts';
import { gqaFeeds, gqaModel } from './lib/gqa-model.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const lengths = opt('lengths', '16,31,32,33,64').split(',').map(Number);
const N = Number(opt('heads', '4'));
const KVH = Number(opt('kv-heads', '4'));
const HD = Number(opt('head-dim', '16'));
const PAST = Number(opt('past', '0'));
const EP = opt('ep', 'webgpu') as Ep;

const page = await OrtPage.open(REPO_ROOT);
page.addBlob('gqa.onnx', gqaModel(N, KVH, HD));
if (args.includes('--dump-shaders'))
  await page.page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = globalThis as any;
    g.shaders = [];
    const orig = GPUDevice.prototype.createShaderModule;
    GPUDevice.prototype.createShaderModule = function (d: GPUShaderModuleDescriptor) {
      g.shaders.push(d.code);
      return orig.call(this, d);
    };
  });
console.log('adapter', JSON.stringify(await page.adapterInfo()));
try {
  for (const S of lengths) {
    const feeds = gqaFeeds(S, PAST, N, KVH, HD);
    const gpu = await page.run(EP, '/blob/gqa.onnx', feeds);
    const cpu = await page.run('wasm', '/blob/gqa.onnx', feeds);
    if (gpu.error || cpu.error) throw new Error(gpu.error ?? cpu.error);
    const a = gpu.outputs.output.data, b = cpu.outputs.output.data;
    const perPos: number[] = [];
    for (let p = 0; p < S; p++) {
      let m = 0;
      for (let j = 0; j < N * HD; j++) m = Math.max(m, Math.abs(a[p * N * HD + j] - b[p * N * HD + j]));
      perPos.push(m);
    }
    let kvMax = 0;
    for (const name of ['present_key', 'present_value']) gpu.outputs[name].data.forEach((x, i) => (kvMax = Math.max(kvMax, Math.abs(x - cpu.outputs[name].data[i]))));
    console.log(
      `${EP} past=${PAST} S=${S} heads=${N}/${KVH} head_dim=${HD}: output max|gpu-cpu| ${Math.max(...perPos).toExponential(2)}, first query pos > 1e-4: ${perPos.findIndex((x) => x > 1e-4)}, ` +
        `positions > 1e-4: ${perPos.filter((x) => x > 1e-4).length}/${S}; present max|d| ${kvMax.toExponential(2)}`,
    );
  }
  if (args.includes('--dump-shaders')) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const shaders = (await page.page.evaluate(() => (globalThis as any).shaders)) as string[];
    const { writeFileSync } = await import('node:fs');
    shaders.forEach((s, i) => writeFileSync(`/tmp/wgp-shader-${i}.wgsl`, s));
    console.log(`${shaders.length} shaders written to /tmp/wgp-shader-*.wgsl`);
  }
} finally {
  console.log(page.log.filter((l) => !l.includes('Unknown CPU vendor')).slice(0, 20).join('\n'));
  await page.close();
}
