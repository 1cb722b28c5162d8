/**
 * One com.microsoft GroupQueryAttention node on onnxruntime-web's WebGPU EP vs its wasm (CPU) EP in headless
 * Chromium. 32+ new tokens take the FlashAttention prefill shader, whose subgroup path assumes subgroups of at
 * least 8 lanes; SwiftShader has 4, so onnxruntime's own device gives wrong outputs there (printed, not
 * asserted: an onnxruntime fix would make it right). A device without subgroups (what the engine hands
 * onnxruntime-web on such adapters, src/lib/engine/webgpu-device.ts) must match the CPU, and on adapters with
 * subgroups of 8+ lanes onnxruntime's own device must too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/convert/fixture-models.ts';
import { gqaFeeds, gqaModel } from '../../scripts/lib/gqa-model.ts';
import { OrtPage, type Ep } from '../../scripts/lib/ort-page.ts';
import { MIN_SAFE_SUBGROUP_SIZE } from '../../src/lib/engine/webgpu-device.ts';

const N = 4, KVH = 4, HD = 16;
// [new tokens, past tokens]: 31 takes the split-reduce path, 32+ the FlashAttention prefill.
const CASES: [number, number][] = [[31, 0], [32, 0], [64, 0], [32, 40]];

async function maxDiff(ep: Ep): Promise<number[]> {
  // One page per device: onnxruntime-web keeps a device per page once a session has used it.
  const page = await OrtPage.open(REPO_ROOT);
  try {
    page.addBlob('gqa.onnx', gqaModel(N, KVH, HD));
    const out: number[] = [];
    for (const [S, past] of CASES) {
      const f = gqaFeeds(S, past, N, KVH, HD);
      const gpu = await page.run(ep, '/blob/gqa.onnx', f, undefined, ['output']);
      const cpu = await page.run('wasm', '/blob/gqa.onnx', f, undefined, ['output']);
      if (gpu.error || cpu.error) throw new Error(gpu.error ?? cpu.error);
      let m = 0;
      gpu.outputs.output.data.forEach((x, i) => (m = Math.max(m, Math.abs(x - cpu.outputs.output.data[i]))));
      out.push(m);
    }
    return out;
  } finally {
    await page.close();
  }
}

describe('GroupQueryAttention on WebGPU vs CPU', () => {
  let subgroupMinSize: number | undefined;
  beforeAll(async () => {
    const page = await OrtPage.open(REPO_ROOT);
    const info = await page.adapterInfo();
    await page.close();
    subgroupMinSize = info.features.includes('subgroups') ? info.subgroupMinSize : undefined;
    console.log(`adapter: ${info.description}; subgroups ${subgroupMinSize ?? 'none'}-${info.subgroupMaxSize ?? ''} lanes, measured ${info.measuredSubgroupSize ?? '-'}`);
  }, 60_000);

  it('onnxruntime-web\'s own device: right below 32 new tokens; right at 32+ only with subgroups of 8+ lanes', async () => {
    const diffs = await maxDiff('webgpu');
    console.log(CASES.map(([S, p], i) => `own device, ${S} new + ${p} past: max |gpu - cpu| = ${diffs[i].toExponential(2)}`).join('\n'));
    expect(diffs[0]).toBeLessThan(1e-5);
    if (subgroupMinSize === undefined || subgroupMinSize >= MIN_SAFE_SUBGROUP_SIZE) for (const d of diffs) expect(d).toBeLessThan(1e-5);
  }, 120_000);

  it('a device without subgroups matches the CPU for every length, with and without a past', async () => {
    const diffs = await maxDiff('webgpu-nosubgroups');
    console.log(CASES.map(([S, p], i) => `no-subgroup device, ${S} new + ${p} past: max |gpu - cpu| = ${diffs[i].toExponential(2)}`).join('\n'));
    for (const d of diffs) expect(d).toBeLessThan(1e-5);
  }, 120_000);
});
