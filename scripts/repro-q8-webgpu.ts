/**
 * One MatMulNBits node with 8-bit codes (bits: 8, block 32, asymmetric) on onnxruntime-web's WebGPU EP (a device
 * without subgroups, as the engine makes on SwiftShader) and on wasm, against a JS reference: whether `--q8` builds
 * can run on WebGPU.   npx tsx scripts/repro-q8-webgpu.ts
 */
import { OrtPage } from './lib/ort-page.ts';
import { REPO_ROOT } from './convert/fixture-models.ts';
import { encodeModel, TensorType } from '../src/lib/onnx/proto.ts';
const K = 128, N = 64, BS = 32, nb = K / BS;
let s = 7; const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const codes = Uint8Array.from({ length: N * nb * BS }, () => Math.floor(r() * 256));
const scales = Float32Array.from({ length: N * nb }, () => 0.01 + r() * 0.01);
const zps = Uint8Array.from({ length: N * nb }, () => 100 + Math.floor(r() * 50));
const model = encodeModel({ graphName: 'q8', producer: 't', opsets: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
  inputs: [{ name: 'a', type: TensorType.FLOAT, shape: [1, 'M', K] }], outputs: [{ name: 'y', type: TensorType.FLOAT, shape: [1, 'M', N] }],
  initializers: [
    { name: 'b', type: TensorType.UINT8, dims: [N, nb, BS], data: codes },
    { name: 's', type: TensorType.FLOAT, dims: [N * nb], data: new Uint8Array(scales.buffer) },
    { name: 'z', type: TensorType.UINT8, dims: [N * nb], data: zps },
  ],
  nodes: [{ opType: 'MatMulNBits', domain: 'com.microsoft', name: 'mm', inputs: ['a', 'b', 's', 'z'], outputs: ['y'], attrs: { K, N, bits: 8, block_size: BS } }] });
const page = await OrtPage.open(REPO_ROOT);
page.addBlob('q8.onnx', model);
try {
  for (const M of [1, 5]) {
    const a = Array.from({ length: M * K }, () => r() * 2 - 1);
    const feeds = { a: { type: 'float32' as const, dims: [1, M, K], data: a } };
    const g = await page.run('webgpu-nosubgroups', '/blob/q8.onnx', feeds);
    const c = await page.run('wasm', '/blob/q8.onnx', feeds);
    if (g.error || c.error) { console.log('error', (g.error ?? c.error)!.slice(0, 500)); continue; }
    // reference in JS
    let maxd = 0, maxr = 0;
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
      let acc = 0; for (let k = 0; k < K; k++) { const blk = Math.floor(k / BS); const q = codes[(n * nb + blk) * BS + (k % BS)]; acc += a[m * K + k] * (q - zps[n * nb + blk]) * scales[n * nb + blk]; }
      maxr = Math.max(maxr, Math.abs(acc - c.outputs.y.data[m * N + n])); maxd = Math.max(maxd, Math.abs(g.outputs.y.data[m * N + n] - c.outputs.y.data[m * N + n]));
    }
    console.log(`M=${M}: webgpu vs wasm max ${maxd.toExponential(2)}; wasm vs JS reference ${maxr.toExponential(2)}`);
  }
} finally { await page.close(); }
