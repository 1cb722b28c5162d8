/**
 * Times one com.microsoft MatMulNBits node (4-bit, block 32, with zero points: what the converter emits for
 * every linear layer) and, for comparison, a float32 MatMul of the same shape, on onnxruntime-web's WebGPU EP
 * (a device without subgroups, as the engine creates on SwiftShader) and its wasm EP, in headless Chromium.
 * Shapes are M:K:N; the default pair is the tiny test model's lm_head (1:64:32000, the decode step's
 * largest kernel) and its MLP down projection (1:176:64).
 *   npx tsx scripts/bench-webgpu-matmul.ts [--shapes 1:64:32000,1:176:64] [--runs 3] [--fp32]
 */
import { REPO_ROOT } from './convert/fixture-models.ts';
import { OrtPage, type Ep, type FeedSpec } from './lib/ort-page.ts';
import { encodeModel, TensorType, type Initializer } from '../src/lib/onnx/proto.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const shapes = opt('shapes', '1:64:32000,1:176:64').split(',').map((s) => s.split(':').map(Number) as [number, number, number]);
const runs = Number(opt('runs', '3'));
const BLOCK = 32;

function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}
const f32 = (n: number, seed: number) => new Uint8Array(Float32Array.from(bytes(n, seed), (b) => (b - 128) / 4096).buffer);

function model(k: number, n: number, quantized: boolean): Uint8Array {
  const kBlocks = Math.ceil(k / BLOCK);
  const initializers: Initializer[] = quantized
    ? [
        { name: 'B', type: TensorType.UINT8, dims: [n, kBlocks, BLOCK / 2], data: bytes(n * kBlocks * (BLOCK / 2), 1) },
        { name: 'scales', type: TensorType.FLOAT, dims: [n * kBlocks], data: f32(n * kBlocks, 2) },
        { name: 'zp', type: TensorType.UINT8, dims: [n * Math.ceil(kBlocks / 2)], data: bytes(n * Math.ceil(kBlocks / 2), 3) },
      ]
    : [{ name: 'B', type: TensorType.FLOAT, dims: [k, n], data: f32(k * n, 4) }];
  return encodeModel({
    graphName: 'matmul',
    producer: 'bench',
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    inputs: [{ name: 'A', type: TensorType.FLOAT, shape: [1, 'M', k] }],
    outputs: [{ name: 'Y', type: TensorType.FLOAT, shape: [1, 'M', n] }],
    initializers,
    nodes: [
      quantized
        ? { opType: 'MatMulNBits', domain: 'com.microsoft', name: 'mm', inputs: ['A', 'B', 'scales', 'zp'], outputs: ['Y'], attrs: { K: k, N: n, bits: 4, block_size: BLOCK } }
        : { opType: 'MatMul', name: 'mm', inputs: ['A', 'B'], outputs: ['Y'] },
    ],
  });
}

const page = await OrtPage.open(REPO_ROOT);
try {
  console.log('adapter', (await page.adapterInfo()).description);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [m, k, n] of shapes) {
    for (const quantized of args.includes('--fp32') ? [true, false] : [true]) {
      const name = `${quantized ? 'q4' : 'fp32'}-${k}-${n}.onnx`;
      page.addBlob(name, model(k, n, quantized));
      const feeds: Record<string, FeedSpec> = { A: { type: 'float32', dims: [1, m, k], data: Array.from({ length: m * k }, (_, i) => Math.sin(i)) } };
      const row: string[] = [];
      const results: number[][] = [];
      for (const ep of ['webgpu-nosubgroups', 'wasm'] as Ep[]) {
        const first = await page.run(ep, `/blob/${name}`, feeds, undefined, ['Y']); // session creation, pipeline compile
        if (first.error) throw new Error(first.error);
        const out = await page.run(ep, `/blob/${name}`, feeds, undefined, ['Y']);
        if (out.error) throw new Error(out.error);
        results.push(out.outputs.Y.data);
        // Timed inside the page (the session OrtPage.run cached): run + the CPU copy of Y, no page round trip.
        const times = await page.page.evaluate(
          async ({ key, m, k, runs }) => {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const g = globalThis as any;
            const session = g.sessions.get(key);
            const A = new g.ort.Tensor('float32', Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), [1, m, k]);
            const ts: number[] = [];
            for (let r = 0; r < runs; r++) {
              const t = performance.now();
              await session.run({ A });
              ts.push(performance.now() - t);
            }
            return ts;
          },
          { key: `${ep} /blob/${name}`, m, k, runs },
        );
        row.push(`${ep} ${median(times).toFixed(1)} ms`);
      }
      let d = 0;
      results[0].forEach((x, i) => (d = Math.max(d, Math.abs(x - results[1][i]))));
      console.log(`${quantized ? 'MatMulNBits q4' : 'MatMul fp32'} M=${m} K=${k} N=${n}: ${row.join(', ')} (median of ${runs} runs, in the page); max |webgpu - wasm| ${d.toExponential(1)}`);
    }
  }
} finally {
  await page.close();
}
