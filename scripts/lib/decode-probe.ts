/**
 * Measures onnxruntime-web's WebGPU EP per decode step, in an OrtPage: wraps GPUDevice / GPUQueue /
 * GPUComputePassEncoder / GPUBuffer methods, then runs a model built by the converter the way the engine
 * does on WebGPU (present.* kept on the GPU as 'gpu-buffer', the way transformers.js asks for them there,
 * fed back as past_key_values; logits read back to the CPU), in sequences of runs (prompt, decode steps,
 * cache extensions). Per run: session.run wall time, new shader modules and compute pipelines (and the time spent creating
 * them), dispatches (which shader, how many workgroups, for the last step), submits, buffer uploads
 * (writeBuffer) and readbacks (mapAsync, with the time waited). Used by scripts/investigate-webgpu-decode.ts
 * and tests/browser/decode-webgpu.test.ts.
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
}

export interface ProbeSequence {
  /** A name for the rows, e.g. 'warmup' or 'turn'. */
  phase: string;
  runs: number[];
}

/** A prompt of `prompt` tokens and `steps` decode steps. */
export const promptThenDecode = (phase: string, prompt: number, steps: number): ProbeSequence => ({ phase, runs: [prompt, ...Array(steps).fill(1)] });

export interface ProbeStep {
  phase: string;
  /** Index of the run in its sequence. */
  step: number;
  tokens: number;
  past: number;
  runMs: number;
  argmaxMs: number;
  newShaderModules: number;
  shaderMs: number;
  newPipelines: number;
  pipelineMs: number;
  dispatches: number;
  submits: number;
  writes: number;
  writeBytes: number;
  maps: number;
  mapMs: number;
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

export async function probeDecode(page: OrtPage, args: ProbeArgs): Promise<ProbeResult> {
  // tsx compiles with esbuild's keepNames, whose __name helper the evaluated function refers to.
  await page.page.evaluate('globalThis.__name = (f) => f');
  return page.page.evaluate(
    async (o: ProbeArgs) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      const ort = g.ort;
      if (g.decodeProbeWrapped) throw new Error('probeDecode wraps the WebGPU prototypes once per page: open a new OrtPage');
      g.decodeProbeWrapped = true;
      const c = { shaderModules: 0, shaderMs: 0, pipelines: 0, pipelineMs: 0, dispatches: 0, submits: 0, writes: 0, writeBytes: 0, maps: 0, mapMs: 0, entries: [] as string[] };
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
      const dispatchLog: string[] = [];
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
        async function (this: unknown, ...a: unknown[]) {
          const t = performance.now();
          const r = await orig.apply(this, a);
          c.mapMs += performance.now() - t;
          c.maps++;
          return r;
        },
      );
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
      const rows: unknown[] = [];
      let salt = 0;
      for (const [si, sequence] of o.sequences.entries()) {
        let past = emptyPast();
        let seq = 0;
        let best = 1;
        for (const [step, n] of sequence.runs.entries()) {
          // One token after a run: the greedy next token (a decode step); else made-up ids (BOS first).
          const ids = step > 0 && n === 1 ? [best] : Array.from({ length: n }, (_, i) => (seq + i === 0 ? 1 : 3 + (((seq + i + salt) * 7919) % 31000)));
          salt += n;
          const total = seq + ids.length;
          const feeds: Record<string, unknown> = {
            input_ids: int64(ids, [1, ids.length]),
            attention_mask: int64(new Array(total).fill(1), [1, total]),
            ...past,
          };
          if (hasPos) feeds.position_ids = int64(ids.map((_, i) => seq + i), [1, ids.length]);
          if (hasKeep) feeds.num_logits_to_keep = int64([1], []);
          const before = snap();
          dispatchLog.length = 0;
          const t = performance.now();
          const out = await session.run(feeds);
          const runMs = performance.now() - t;
          const t2 = performance.now();
          const logits = out.logits.data as Float32Array; // already on the CPU (not in preferredOutputLocation)
          best = 0;
          const vocab = out.logits.dims[2];
          const base = (out.logits.dims[1] - 1) * vocab;
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
            maps: after.maps - before.maps,
            mapMs: +(after.mapMs - before.mapMs).toFixed(1),
            newShaders: after.entries.slice(before.entries.length),
            presentLocation: out[presentNames[0]].location,
            dispatchLog: last ? [...dispatchLog] : [],
            token: best,
          });
          const next: Record<string, unknown> = {};
          for (const name of presentNames) next[name.replace('present', 'past_key_values')] = out[name];
          for (const v of Object.values(past)) if (v.location === 'gpu-buffer') v.dispose();
          past = next;
          seq = total;
        }
        for (const v of Object.values(past)) if (v.location === 'gpu-buffer') v.dispose();
      }
      return { createMs, rows, totals: snap(), shaderCode: (g.shaderCode ?? []) as string[] };
    },
    args,
  ) as Promise<ProbeResult>;
}
