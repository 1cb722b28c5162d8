/**
 * `npm run bench:gpu [-- --small] [--layers N] [--steps 8] [--phase all|build|run] [--work DIR] [--json FILE]
 * [--bandwidth-gbs N]`: decode and prefill speed of the Agent-FLAN-7B shape on a real GPU through onnxruntime-web's
 * WebGPU EP in Node (Dawn's binding, npm `webgpu`), old path vs new in one run. Made for the GPU machine (no
 * browser there; scripts/device/README.md packs what it needs), runnable here on SwiftShader (Vulkan) with --small
 * (the tiny test model, a 520-token prompt and positions 20 / 100 / 532: the same code paths in minutes).
 *   build: a Llama-2-7B-shaped checkpoint with random weights (scripts/lib/seven-b-checkpoint.ts, InternLM v1 like
 *          Agent-FLAN-7B; --small: the tiny test checkpoint), converted to q4 twice, in parallel: the split graph
 *          and the fused one (scripts/convert).
 *   run:   per path, session creation, then on one cache: a 1,500-token prompt prefilled in the engine's 512-token
 *          chunks (prefill tok/s; TTFT = prefill + the first token's pick), then decode steps at positions 100,
 *          1000 and 3000 (the cache is extended by real prefill to each), tok/s from the median step.
 *          old: split graph, present.* kept on the GPU and fed back (a cache that grows by reallocation, as
 *               transformers.js runs it); new: the fused graph on the engine's static cache (src/lib/engine/kv-cache.ts).
 * Also: peak GPU memory (bytes of live GPUBuffers, and nvidia-smi's figure where there is one) and the fraction of
 * the bandwidth floor (weights + the valid KV cache read once per token, over the GPU's memory bandwidth: a table
 * of known GPUs or --bandwidth-gbs). Token ids are synthetic (random weights: content does not change speed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { convertCheckpoint } from './convert/convert.ts';
import type { GraphLayout } from './convert/graph.ts';
import { TINY_LLAMA_DIR } from './convert/fixture-models.ts';
import { writeSevenBWidthCheckpoint } from './lib/seven-b-checkpoint.ts';
import { StaticGpuCache, cacheShapeOf, pastName, presentName, type CacheShape } from '../src/lib/engine/kv-cache.ts';
import { adapterLimits, needsSubgrouplessDevice, requestSubgrouplessDevice } from '../src/lib/engine/webgpu-device.ts';
import { PREFILL_CHUNK_TOKENS, type ModelManifest } from '../src/lib/models/manifest.ts';

const { values } = parseArgs({
  options: {
    small: { type: 'boolean', default: false },
    layers: { type: 'string', default: '32' },
    steps: { type: 'string' },
    phase: { type: 'string', default: 'all' },
    work: { type: 'string' },
    json: { type: 'string' },
    'bandwidth-gbs': { type: 'string' },
    'child-convert': { type: 'string' },
  },
});
const small = values.small;
const layers = Number(values.layers);
const steps = Number(values.steps ?? (small ? 2 : 8));
const work = values.work ?? join(tmpdir(), small ? 'bench-gpu-small' : `bench-gpu-${layers}l`);
// --small checks the path on SwiftShader, where a token costs seconds: the prompt still spans two prefill chunks.
const PROMPT_TOKENS = small ? PREFILL_CHUNK_TOKENS + 8 : 1500;
const POSITIONS = small ? [20, 100, PREFILL_CHUNK_TOKENS + 20] : [100, 1000, 3000];
const LAYOUTS: { path: string; graph: GraphLayout }[] = [
  { path: 'old (split graph, growing cache)', graph: 'split' },
  { path: 'new (fused graph, static cache)', graph: 'fused' },
];
const modelDir = (graph: GraphLayout) => join(work, graph);

// Here (no GPU): Dawn runs on Chromium's SwiftShader Vulkan driver, which the loader must find at start-up.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!values['child-convert'] && values.phase !== 'build' && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) {
  const env = { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: ['/usr/lib/chromium', process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  process.exit(spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env }).status ?? 1);
}

if (values['child-convert']) {
  const graph = values['child-convert'] as GraphLayout;
  await convertCheckpoint({ checkpointDir: small ? TINY_LLAMA_DIR : join(work, 'checkpoint'), outDir: modelDir(graph), dtypes: ['q4'], chatTemplate: 'agent-flan', graph });
  process.exit(0);
}

async function build(): Promise<void> {
  let t = Date.now();
  if (!small) {
    rmSync(join(work, 'checkpoint'), { recursive: true, force: true });
    mkdirSync(join(work, 'checkpoint'), { recursive: true });
    const bytes = writeSevenBWidthCheckpoint(join(work, 'checkpoint'), { layers });
    console.log(`build: ${layers}-layer checkpoint, ${(bytes / 1e9).toFixed(2)} GB bf16 in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  t = Date.now();
  // Two processes: each conversion is single-threaded and the GPU machine has cores to spare.
  const children = LAYOUTS.map(
    ({ graph }) =>
      new Promise<void>((ok, fail) => {
        const args = [...process.execArgv, process.argv[1], '--child-convert', graph, '--work', work, '--layers', String(layers), ...(small ? ['--small'] : [])];
        spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (code) => (code === 0 ? ok() : fail(new Error(`converting the ${graph} graph failed (exit ${code})`))));
      }),
  );
  await Promise.all(children);
  console.log(`build: q4, split and fused graphs, in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  if (!small) rmSync(join(work, 'checkpoint'), { recursive: true, force: true });
}

/** Memory bandwidths (GB/s) of GPUs the device tool lends, by adapter description. */
const BANDWIDTH: [RegExp, number, string][] = [
  [/h200/i, 4800, 'H200 (HBM3e, 4.8 TB/s)'],
  [/h100.*(sxm|hbm3)/i, 3350, 'H100 SXM (HBM3, 3.35 TB/s)'],
  [/h100/i, 2000, 'H100 PCIe (HBM2e, 2.0 TB/s)'],
  [/a100/i, 2039, 'A100 80GB (2.0 TB/s)'],
  [/4090/i, 1008, 'RTX 4090 (1.0 TB/s)'],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const argmax = (xs: Float32Array) => xs.reduce((best, v, i) => (v > xs[best] ? i : best), 0);
/** Synthetic ids: BOS, then a spread over the vocabulary (random weights make any ids equally typical). */
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (i + from === 0 ? 1 : 3 + (((i + from) * 7919) % 31000)));

interface Cache {
  readonly length: number;
  forward(session: InferenceSession, ids: number[]): Promise<Float32Array>;
  dispose(): void;
}

type Ort = typeof import('onnxruntime-web');

/** The old path: present.* kept on the GPU and fed back as the next past, one position longer per step. */
class GrowingGpuCache implements Cache {
  length = 0;
  private past: Record<string, Tensor> = {};
  constructor(
    private readonly ort: Ort,
    private readonly shape: CacheShape,
  ) {
    for (let l = 0; l < shape.layers; l++)
      for (const part of ['key', 'value'] as const) this.past[pastName(l, part)] = new ort.Tensor('float32', new Float32Array(0), [1, shape.kvHeads, 0, shape.headDim]);
  }

  async forward(session: InferenceSession, ids: number[]): Promise<Float32Array> {
    const total = this.length + ids.length;
    const i64 = (xs: number[], dims: number[]) => new this.ort.Tensor('int64', BigInt64Array.from(xs, BigInt), dims);
    const out = await session.run({
      input_ids: i64(ids, [1, ids.length]),
      attention_mask: i64(new Array(total).fill(1), [1, total]),
      position_ids: i64(ids.map((_, i) => this.length + i), [1, ids.length]),
      num_logits_to_keep: new this.ort.Tensor('int64', BigInt64Array.of(1n), []),
      ...this.past,
    });
    for (let l = 0; l < this.shape.layers; l++)
      for (const part of ['key', 'value'] as const) {
        this.past[pastName(l, part)].dispose();
        this.past[pastName(l, part)] = out[presentName(l, part)];
      }
    this.length = total;
    const logits = out.logits.data as Float32Array;
    return logits.slice(logits.length - this.shape.vocabSize);
  }

  dispose(): void {
    for (const t of Object.values(this.past)) t.dispose();
  }
}

/** Peak bytes of live GPUBuffers on `device` (onnxruntime-web's pool included), counted by wrapping it. */
function trackBuffers(device: GPUDevice): { live: number; peak: number } {
  const stats = { live: 0, peak: 0 };
  const create = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor) => {
    const buffer = create(desc);
    stats.live += desc.size;
    stats.peak = Math.max(stats.peak, stats.live);
    const destroy = buffer.destroy.bind(buffer);
    let gone = false;
    buffer.destroy = () => {
      if (!gone) stats.live -= desc.size;
      gone = true;
      destroy();
    };
    return buffer;
  };
  // Dawn's writeBuffer rejects views on a SharedArrayBuffer (wasm threads' memory): copy those.
  const write = device.queue.writeBuffer.bind(device.queue);
  device.queue.writeBuffer = ((buffer: GPUBuffer, offset: number, data: BufferSource, dataOffset?: number, size?: number) => {
    const view = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
    if (view.buffer instanceof SharedArrayBuffer) {
      const el = 'BYTES_PER_ELEMENT' in view ? (view as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
      const from = view.byteOffset + (dataOffset ?? 0) * el;
      const len = size !== undefined ? size * el : view.byteLength - (dataOffset ?? 0) * el;
      return write(buffer, offset, new Uint8Array(view.buffer, from, len).slice());
    }
    return write(buffer, offset, data, dataOffset, size);
  }) as GPUQueue['writeBuffer'];
  return stats;
}

/** nvidia-smi's used memory (MiB), sampled every 200 ms, where the machine has it. */
function sampleNvidiaSmi(): { peakMiB: number; baseMiB: number; stop(): void } | null {
  if (spawnSync('nvidia-smi', ['-L']).status !== 0) return null;
  const s = { peakMiB: 0, baseMiB: Number.NaN, stop: () => child.kill() };
  const child = spawn('nvidia-smi', ['--query-gpu=memory.used', '--format=csv,noheader,nounits', '-lms', '200']);
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const v = Number(line.trim());
      if (!line.trim() || !Number.isFinite(v)) continue;
      if (Number.isNaN(s.baseMiB)) s.baseMiB = v;
      s.peakMiB = Math.max(s.peakMiB, v);
    }
  });
  return s;
}

async function run(): Promise<void> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  (globalThis as { navigator?: unknown }).navigator = { gpu: create([]) };
  const ort = (await import('onnxruntime-web/webgpu')) as unknown as Ort;
  ort.env.wasm.numThreads = 1;
  const adapter = (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
  const info = adapter.info as GPUAdapterInfo & { description?: string };
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const known = BANDWIDTH.find(([re]) => re.test(name));
  const bandwidthGBs = Number(values['bandwidth-gbs'] ?? known?.[1] ?? Number.NaN);
  console.log(
    `adapter: ${name || '(no description)'}; shader-f16 ${adapter.features.has('shader-f16') ? 'yes' : 'no'}, subgroups ${adapter.features.has('subgroups') ? 'yes' : 'no'}; ` +
      `bandwidth ${Number.isFinite(bandwidthGBs) ? `${bandwidthGBs} GB/s (${values['bandwidth-gbs'] ? '--bandwidth-gbs' : known![2]})` : 'unknown: no floor (--bandwidth-gbs N)'}`,
  );
  const smi = sampleNvidiaSmi();
  const rows: Record<string, string | number>[] = [];
  const report: Record<string, unknown>[] = [];
  for (const { path, graph } of LAYOUTS) {
    const manifest = JSON.parse(readFileSync(join(modelDir(graph), 'manifest.json'), 'utf8')) as ModelManifest;
    const q4 = manifest.dtypes.q4!;
    // A device per path (from a fresh adapter: one adapter makes one device), so each path's peak is its own; the
    // engine's subgroup-less device where it would make one.
    const pathAdapter = (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
    const device = needsSubgrouplessDevice(pathAdapter as never)
      ? await requestSubgrouplessDevice(pathAdapter)
      : await pathAdapter.requestDevice({ requiredLimits: adapterLimits(pathAdapter), requiredFeatures: [...pathAdapter.features] as GPUFeatureName[] });
    const gpu = trackBuffers(device);
    if (smi) smi.peakMiB = 0;
    const started = performance.now();
    let t = started;
    // Each chunk is <= 1.9 GB: Node's readFileSync stops at 2 GiB, as the browser needs anyway.
    const externalData = q4.files.filter((f) => f.path.includes('_data')).map((f) => ({ path: basename(f.path), data: new Uint8Array(readFileSync(join(modelDir(graph), f.path))) }));
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(modelDir(graph), 'onnx', 'model_q4.onnx'))), {
      executionProviders: [{ name: 'webgpu', device } as unknown as InferenceSession.ExecutionProviderConfig],
      externalData,
      ...(graph === 'split' ? { preferredOutputLocation: Object.fromEntries(presentNames(manifest.numLayers).map((n) => [n, 'gpu-buffer' as const])) } : {}),
    });
    const loadMs = performance.now() - t;
    externalData.length = 0;
    const note = (what: string) => console.log(`  ${graph}: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    note(`session created in ${(loadMs / 1000).toFixed(1)} s`);
    const shape = cacheShapeOf(manifest, 'float32');
    let cache: Cache | null = null;
    const fresh = () => {
      cache?.dispose();
      cache = graph === 'fused' ? new StaticGpuCache(ort, device, shape) : new GrowingGpuCache(ort, shape);
      return cache;
    };
    const prefillTo = async (c: Cache, n: number) => {
      let logits: Float32Array | null = null;
      for (let at = c.length; at < n; at = c.length) logits = await c.forward(session, ids(Math.min(PREFILL_CHUNK_TOKENS, n - at), at));
      return logits!;
    };
    // Warm-up, untimed: compiles the prefill and decode programs.
    let c = fresh();
    await prefillTo(c, Math.min(PREFILL_CHUNK_TOKENS, PROMPT_TOKENS));
    await c.forward(session, [5]);
    note('warmed up');

    c = fresh();
    t = performance.now();
    const promptLogits = await prefillTo(c, PROMPT_TOKENS);
    const prefillMs = performance.now() - t;
    argmax(promptLogits);
    const ttftMs = performance.now() - t;
    note(`${PROMPT_TOKENS}-token prompt prefilled`);

    c = fresh();
    const decode: { position: number; ms: number }[] = [];
    for (const position of POSITIONS) {
      let token = argmax(await prefillTo(c, position));
      const times: number[] = [];
      for (let s = 0; s < steps; s++) {
        const t0 = performance.now();
        token = argmax(await c.forward(session, [token]));
        times.push(performance.now() - t0);
      }
      decode.push({ position, ms: median(times) });
      note(`decode at ${position}: ${times.map((x) => x.toFixed(0)).join(', ')} ms`);
    }
    c.dispose();
    await session.release();
    const smiPeak = smi ? (smi.peakMiB - smi.baseMiB) * 2 ** 20 : Number.NaN;
    device.destroy();

    // Bytes a decode step must read at least: every weight once (one embedding row, not the table) and the valid KV.
    const weights = q4.bytes - manifest.vocabSize * manifest.hiddenSize * 4 + manifest.hiddenSize * 4 - manifest.contextLength * manifest.headDim * 4;
    const kv = (p: number) => 2 * manifest.numLayers * manifest.numKeyValueHeads * manifest.headDim * p * 4;
    const floorMs = (p: number) => ((weights + kv(p)) / (bandwidthGBs * 1e9)) * 1000;
    const row: Record<string, string | number> = {
      path,
      'load s': +(loadMs / 1000).toFixed(1),
      'prefill tok/s': +((PROMPT_TOKENS / prefillMs) * 1000).toFixed(1),
      'TTFT ms': +ttftMs.toFixed(0),
    };
    for (const d of decode) {
      row[`tok/s @${d.position}`] = +(1000 / d.ms).toFixed(2);
      if (Number.isFinite(bandwidthGBs)) row[`floor @${d.position}`] = `${((floorMs(d.position) / d.ms) * 100).toFixed(1)}%`;
    }
    row['peak GPU buffers GB'] = +(gpu.peak / 1e9).toFixed(2);
    if (smi) row['nvidia-smi peak GB'] = +(smiPeak / 1e9).toFixed(2);
    rows.push(row);
    report.push({ path, graph, loadMs, prefillTokens: PROMPT_TOKENS, prefillMs, ttftMs, decode, peakGpuBufferBytes: gpu.peak, nvidiaSmiPeakBytes: smi ? smiPeak : null, weightBytesPerToken: weights });
  }
  smi?.stop();
  console.log(`model: ${small ? 'the tiny test checkpoint (2 layers, hidden 64)' : `Llama-2-7B / Agent-FLAN-7B shape, ${layers} layers, random weights`}, q4; ${steps} decode steps per position (median)`);
  console.table(rows);
  console.log('floor: (weights read once + the valid KV cache) / memory bandwidth, over the measured step; times hold only on the adapter named.');
  if (values.json) writeFileSync(values.json, JSON.stringify({ adapter: name, bandwidthGBs: Number.isFinite(bandwidthGBs) ? bandwidthGBs : null, small, layers, steps, results: report }, null, 2));
}

function presentNames(layers: number): string[] {
  const out: string[] = [];
  for (let l = 0; l < layers; l++) for (const part of ['key', 'value'] as const) out.push(presentName(l, part));
  return out;
}

if (values.phase !== 'run') await build();
if (values.phase !== 'build') {
  if (!existsSync(join(modelDir('fused'), 'manifest.json'))) throw new Error(`${work}: no converted models; run with --phase build (or all) first`);
  await run();
}
