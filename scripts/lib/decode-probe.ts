/**
 * Measures onnxruntime-web's WebGPU EP per decode step, in an OrtPage: wraps GPUDevice / GPUQueue /
 * GPUComputePassEncoder / GPUBuffer methods, then runs a model built by the converter the way the engine
 * does on WebGPU (present.* kept on the GPU as 'gpu-buffer', the way transformers.js asks for them there,
 * fed back as past_key_values; logits read back to the CPU), in sequences of runs (prompt, decode steps,
 * cache extensions). Per run: session.run wall time, new shader modules and compute pipelines (and the time spent creating
 * them), dispatches (which shader, how many workgroups, for the last step), submits, buffer uploads
 * (writeBuffer) and readbacks (mapAsync, with the time waited). Used by scripts/investigate-webgpu-decode.ts
 * scripts/bench-decode.ts and tests/browser/decode-webgpu.test.ts.
 */
import type { OrtPage } from './ort-page.ts';

export interface ProbeArgs {
  /** URL directory of the model (ending in /onnx/) and the .onnx file name; its data file is `${file}_data`. */
  dir: string;
  file: string;
  layers: number;
  kvHeads: number;
  headDim: number;
  /**
   * Runs to make: each sequence starts from an empty KV cache and feeds its runs' token counts one after
   * another on the growing cache (a 1 after a run is a decode step: the previous run's greedy token).
   */
  sequences: ProbeSequence[];
  /** A device without subgroups, as the engine creates on SwiftShader (src/lib/engine/webgpu-device.ts). */
  ownDevice: boolean;
  /** Keep each WGSL module's source (returned as shaderCode). */
  dumpShaders: boolean;
  /**
   * Run on the engine's static cache (src/lib/engine/kv-cache.ts: one context-long buffer per layer and K/V bound
   * as past and present, a context-wide mask buffer, the decode id and the logits in buffers made once) instead of
   * feeding present.* back as the next past. Needs the builder's fused graph.
   */
  staticCache?: { contextLength: number; vocabSize: number };
}

export interface ProbeSequence {
  /** A name for the rows, e.g. 'warmup' or 'turn'. */
  phase: string;
  runs: number[];
  /** Start with this many cached positions (zeros: the timing of a step does not depend on what they hold). */
  startAt?: number;
}

/** A prompt of `prompt` tokens and `steps` decode steps. */
export const promptThenDecode = (phase: string, prompt: number, steps: number): ProbeSequence => ({ phase, runs: [prompt, ...Array(steps).fill(1)] });

/** What a step adds to each cumulative counter (GpuCounters), over its run and logits readback. */
type StepCounts = Pick<GpuCounters, 'shaderMs' | 'pipelineMs' | 'dispatches' | 'submits' | 'writes' | 'writeBytes' | 'buffersCreated' | 'maps' | 'mapMs' | 'mapBytes'>;

export interface ProbeStep extends StepCounts {
  phase: string;
  /** Index of the run in its sequence. */
  step: number;
  tokens: number;
  past: number;
  runMs: number;
  argmaxMs: number;
  newShaderModules: number;
  newPipelines: number;
  /** A short description (entry point, bindings) of each shader module created during the step. */
  newShaders: string[];
  presentLocation: string;
  /** For the last run of all: each dispatch as `#module bindings @ (workgroups)`. */
  dispatchLog: string[];
  token: number;
}

export interface ProbeResult {
  createMs: number;
  rows: ProbeStep[];
  totals: { shaderModules: number; pipelines: number };
  shaderCode: string[];
}

/** Counters that installGpuCounters keeps in the page (`globalThis.gpuCounters`), cumulative since install. */
export interface GpuCounters {
  shaderModules: number;
  shaderMs: number;
  pipelines: number;
  pipelineMs: number;
  dispatches: number;
  submits: number;
  writes: number;
  writeBytes: number;
  buffersCreated: number;
  maps: number;
  mapMs: number;
  mapBytes: number;
  entries: string[];
}

/**
 * Wraps GPUDevice / GPUQueue / GPUComputePassEncoder / GPUBuffer methods in the page (once per page) so that
 * `globalThis.gpuCounters` counts shader modules, pipelines, dispatches, submits, uploads, buffers created and
 * readbacks, and `globalThis.gpuDispatchLog` names each dispatch since it was last emptied.
 */
export async function installGpuCounters(page: OrtPage | { page: OrtPage['page'] }, dumpShaders = false): Promise<void> {
  // tsx compiles with esbuild's keepNames, whose __name helper the evaluated function refers to.
  await page.page.evaluate('globalThis.__name = (f) => f');
  await page.page.evaluate(
    (o: { dumpShaders: boolean }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      if (g.gpuCounters) return;
      const c = { shaderModules: 0, shaderMs: 0, pipelines: 0, pipelineMs: 0, dispatches: 0, submits: 0, writes: 0, writeBytes: 0, buffersCreated: 0, maps: 0, mapMs: 0, mapBytes: 0, entries: [] as string[] };
      g.gpuCounters = c;
      const dispatchLog: string[] = [];
      g.gpuDispatchLog = dispatchLog;
      const wrap = (proto: object, name: string, f: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const p = proto as any;
        const orig = p[name];
        p[name] = f(orig);
      };
      const label = (code: string) => {
        // The ORT WebGPU EP names programs in a leading comment or the entry; keep the first distinctive lines.
        const lines = code.split('\n').map((l) => l.trim()).filter(Boolean);
        const fn = lines.find((l) => l.startsWith('fn main') || l.includes('@compute')) ?? '';
        const vars = lines.filter((l) => l.startsWith('@group')).map((l) => l.replace(/@group\(0\) @binding\(\d+\) /, '')).join('; ');
        return `${fn.slice(0, 60)} | ${vars.slice(0, 200)}`;
      };
      wrap(GPUDevice.prototype, 'createShaderModule', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          const t = performance.now();
          const r = orig.apply(this, a);
          c.shaderMs += performance.now() - t;
          c.shaderModules++;
          c.entries.push(label((a[0] as GPUShaderModuleDescriptor).code));
          if (o.dumpShaders) (g.shaderCode ??= []).push((a[0] as GPUShaderModuleDescriptor).code);
          (r as { _label?: string })._label = `#${c.shaderModules - 1} ` + c.entries[c.entries.length - 1].split('|')[1].slice(0, 110);
          return r;
        },
      );
      wrap(GPUDevice.prototype, 'createComputePipeline', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          const t = performance.now();
          const r = orig.apply(this, a);
          c.pipelineMs += performance.now() - t;
          c.pipelines++;
          (r as { _label?: string })._label = ((a[0] as GPUComputePipelineDescriptor).compute.module as unknown as { _label?: string })._label;
          return r;
        },
      );
      wrap(GPUDevice.prototype, 'createComputePipelineAsync', (orig) =>
        async function (this: unknown, ...a: unknown[]) {
          const t = performance.now();
          const r = await orig.apply(this, a);
          c.pipelineMs += performance.now() - t;
          c.pipelines++;
          (r as { _label?: string })._label = ((a[0] as GPUComputePipelineDescriptor).compute.module as unknown as { _label?: string })._label;
          return r;
        },
      );
      let current = '';
      wrap(GPUComputePassEncoder.prototype, 'setPipeline', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          current = (a[0] as { _label?: string })._label ?? '?';
          return orig.apply(this, a);
        },
      );
      wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          dispatchLog.push(`${current} @ (${a.map((x) => x ?? 1).join(',')})`);
          c.dispatches++;
          return orig.apply(this, a);
        },
      );
      wrap(GPUQueue.prototype, 'submit', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          c.submits++;
          return orig.apply(this, a);
        },
      );
      wrap(GPUQueue.prototype, 'writeBuffer', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          c.writes++;
          const d = a[2] as ArrayBufferView | ArrayBuffer;
          c.writeBytes += (a[4] as number | undefined) ?? d.byteLength;
          return orig.apply(this, a);
        },
      );
      wrap(GPUBuffer.prototype, 'mapAsync', (orig) =>
        async function (this: GPUBuffer, ...a: unknown[]) {
          const t = performance.now();
          const r = await orig.apply(this, a);
          c.mapMs += performance.now() - t;
          c.maps++;
          c.mapBytes += (a[2] as number | undefined) ?? this.size - ((a[1] as number | undefined) ?? 0);
          return r;
        },
      );
      wrap(GPUDevice.prototype, 'createBuffer', (orig) =>
        function (this: unknown, ...a: unknown[]) {
          c.buffersCreated++;
          return orig.apply(this, a);
        },
      );
    },
    { dumpShaders },
  );
}


export async function probeDecode(page: OrtPage, args: ProbeArgs): Promise<ProbeResult> {
  await installGpuCounters(page, args.dumpShaders);
  return page.page.evaluate(
    async (o: ProbeArgs) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      const ort = g.ort;
      const c = g.gpuCounters;
      const dispatchLog: string[] = g.gpuDispatchLog;
      const snap = () => ({ ...c, entries: [...c.entries] });

      let provider: unknown = 'webgpu';
      if (o.ownDevice) {
        const adapter = await navigator.gpu.requestAdapter();
        const requiredLimits: Record<string, number> = {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        for (const k in adapter!.limits) if (typeof (adapter!.limits as any)[k] === 'number') requiredLimits[k] = (adapter!.limits as any)[k];
        const requiredFeatures = [...adapter!.features].filter((f) => !String(f).startsWith('subgroup') && !String(f).startsWith('chromium-'));
        provider = { name: 'webgpu', device: await adapter!.requestDevice({ requiredFeatures: requiredFeatures as GPUFeatureName[], requiredLimits }) };
      }
      const bytes = new Uint8Array(await (await fetch(o.dir + o.file)).arrayBuffer());
      const externalData = [{ path: o.file + '_data', data: new Uint8Array(await (await fetch(o.dir + o.file + '_data')).arrayBuffer()) }];
      const presentNames: string[] = [];
      for (let l = 0; l < o.layers; l++) for (const kv of ['key', 'value']) presentNames.push(`present.${l}.${kv}`);
      const preferredOutputLocation = Object.fromEntries(presentNames.map((n) => [n, 'gpu-buffer']));
      const t0 = performance.now();
      const session = await ort.InferenceSession.create(bytes, { executionProviders: [provider], externalData, preferredOutputLocation, logSeverityLevel: 3 });
      const createMs = performance.now() - t0;
      const hasKeep = session.inputNames.includes('num_logits_to_keep');
      const hasPos = session.inputNames.includes('position_ids');
      const int64 = (xs: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), dims);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const emptyPast = (): Record<string, any> => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const p: Record<string, any> = {};
        for (let l = 0; l < o.layers; l++)
          for (const kv of ['key', 'value']) p[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, o.kvHeads, 0, o.headDim]);
        return p;
      };
      const device: GPUDevice = (provider as { device?: GPUDevice }).device ?? (await ort.env.webgpu.device);
      const U = GPUBufferUsage;
      const kvBytes = (len: number) => o.kvHeads * len * o.headDim * 4;
      const gpuTensor = (size: number, dataType: string, dims: number[]) =>
        ort.Tensor.fromGpuBuffer(device.createBuffer({ size: Math.max(16, size), usage: U.STORAGE | U.COPY_SRC | U.COPY_DST }), { dataType, dims });
      // The static cache: made once, like the engine's, before any counted run.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let fixed: { kv: Record<string, any>; fetches: Record<string, any>; mask: any; id: any; logits: any; staging: GPUBuffer; C: number; V: number } | null = null;
      if (o.staticCache) {
        const { contextLength: C, vocabSize: V } = o.staticCache;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const kv: Record<string, any> = {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const fetches: Record<string, any> = {};
        for (const name of presentNames) {
          const t = gpuTensor(kvBytes(C), 'float32', [1, o.kvHeads, C, o.headDim]);
          kv[name.replace('present', 'past_key_values')] = t;
          fetches[name] = t;
        }
        const logits = gpuTensor(V * 4, 'float32', [1, 1, V]);
        fetches.logits = logits;
        const staging = device.createBuffer({ size: V * 4, usage: U.MAP_READ | U.COPY_DST });
        fixed = { kv, fetches, mask: gpuTensor(C * 8, 'int64', [1, C]), id: gpuTensor(8, 'int64', [1, 1]), logits, staging, C, V };
      }
      const rows: unknown[] = [];
      let salt = 0;
      for (const [si, sequence] of o.sequences.entries()) {
        const startAt = sequence.startAt ?? 0;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        let past: Record<string, any> = fixed ? fixed.kv : emptyPast();
        if (fixed) {
          const mask = new BigInt64Array(fixed.C);
          mask.fill(1n, 0, startAt);
          device.queue.writeBuffer(fixed.mask.gpuBuffer, 0, mask);
        } else if (startAt > 0) {
          past = {};
          for (const name of presentNames) past[name.replace('present', 'past_key_values')] = gpuTensor(kvBytes(startAt), 'float32', [1, o.kvHeads, startAt, o.headDim]);
        }
        let seq = startAt;
        let best = 1;
        for (const [step, n] of sequence.runs.entries()) {
          // One token after a run: the greedy next token (a decode step); else made-up ids (BOS first).
          const ids = step > 0 && n === 1 ? [best] : Array.from({ length: n }, (_, i) => (seq + i === 0 ? 1 : 3 + (((seq + i + salt) * 7919) % 31000)));
          salt += n;
          const total = seq + ids.length;
          const before = snap();
          dispatchLog.length = 0;
          const t = performance.now();
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          let out: Record<string, any>;
          let logits: Float32Array;
          let vocab: number;
          let base = 0;
          if (fixed) {
            device.queue.writeBuffer(fixed.mask.gpuBuffer, seq * 8, new BigInt64Array(ids.length).fill(1n));
            let input = fixed.id;
            if (ids.length === 1) device.queue.writeBuffer(fixed.id.gpuBuffer, 0, BigInt64Array.of(BigInt(ids[0])));
            else input = int64(ids, [1, ids.length]);
            out = await session.run({ input_ids: input, attention_mask: fixed.mask, ...fixed.kv }, fixed.fetches);
            const enc = device.createCommandEncoder();
            enc.copyBufferToBuffer(fixed.logits.gpuBuffer, 0, fixed.staging, 0, fixed.V * 4);
            device.queue.submit([enc.finish()]);
            await fixed.staging.mapAsync(GPUMapMode.READ);
            logits = new Float32Array(fixed.staging.getMappedRange().slice(0));
            fixed.staging.unmap();
            vocab = fixed.V;
          } else {
            const feeds: Record<string, unknown> = {
              input_ids: int64(ids, [1, ids.length]),
              attention_mask: int64(new Array(total).fill(1), [1, total]),
              ...past,
            };
            if (hasPos) feeds.position_ids = int64(ids.map((_, i) => seq + i), [1, ids.length]);
            if (hasKeep) feeds.num_logits_to_keep = int64([1], []);
            out = await session.run(feeds);
            logits = out.logits.data as Float32Array; // already on the CPU (not in preferredOutputLocation)
            vocab = out.logits.dims[2];
            base = (out.logits.dims[1] - 1) * vocab;
          }
          const runMs = performance.now() - t;
          const t2 = performance.now();
          best = 0;
          for (let v = 1; v < vocab; v++) if (logits[base + v] > logits[base + best]) best = v;
          const after = snap();
          const last = si === o.sequences.length - 1 && step === sequence.runs.length - 1;
          rows.push({
            phase: sequence.phase,
            step,
            tokens: ids.length,
            past: seq,
            runMs: +runMs.toFixed(1),
            argmaxMs: +(performance.now() - t2).toFixed(1),
            newShaderModules: after.shaderModules - before.shaderModules,
            shaderMs: +(after.shaderMs - before.shaderMs).toFixed(1),
            newPipelines: after.pipelines - before.pipelines,
            pipelineMs: +(after.pipelineMs - before.pipelineMs).toFixed(1),
            dispatches: after.dispatches - before.dispatches,
            submits: after.submits - before.submits,
            writes: after.writes - before.writes,
            writeBytes: after.writeBytes - before.writeBytes,
            buffersCreated: after.buffersCreated - before.buffersCreated,
            maps: after.maps - before.maps,
            mapMs: +(after.mapMs - before.mapMs).toFixed(1),
            mapBytes: after.mapBytes - before.mapBytes,
            newShaders: after.entries.slice(before.entries.length),
            presentLocation: out[presentNames[0]].location,
            dispatchLog: last ? [...dispatchLog] : [],
            token: best,
          });
          if (!fixed) {
            const next: Record<string, unknown> = {};
            for (const name of presentNames) next[name.replace('present', 'past_key_values')] = out[name];
            for (const v of Object.values(past)) if (v.location === 'gpu-buffer') v.dispose();
            past = next;
          }
          seq = total;
        }
        if (!fixed) for (const v of Object.values(past)) if (v.location === 'gpu-buffer') v.dispose();
      }
      return { createMs, rows, totals: snap(), shaderCode: (g.shaderCode ?? []) as string[] };
    },
    args,
  ) as Promise<ProbeResult>;
}
