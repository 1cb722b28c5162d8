/**
 * `npm run bench:decode [-- --positions 100,1000,2000,3500] [--steps 3] [--no-generate] [--dispatch-log]`: one decode step, old path vs new,
 * in one run, in headless Chromium (SwiftShader WebGPU here, on the device without subgroups the engine makes there):
 *   - old: the builder's split graph (separate q/k/v and gate/up, RotaryEmbedding nodes), present.* fed back as the next
 *     past (a cache that grows by one position per step, as transformers.js and the engine before it ran);
 *   - new: the fused graph on the engine's static cache (src/lib/engine/kv-cache.ts);
 *   - transformers.js's own generate() on the fused model (the path a user of the library would take).
 * Same weights (the test model's checkpoint, q4). Per decode step at each position of its 4096 context: kernel
 * dispatches (--dispatch-log names each, so the per-layer count can be read off), GPU buffers created, bytes uploaded (writeBuffer) and read back (mapAsync), the JS time
 * on the CPU (the run minus the wait for the readback) and the time per token. Cached positions are zeros for
 * old/new (a step's cost does not depend on their values); generate() prefills a prompt of that length.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { convertCheckpoint } from './convert/convert.ts';
import { REPO_ROOT, TINY_LLAMA_DIR, writeModelIndex } from './convert/fixture-models.ts';
import { installGpuCounters, probeDecode, type GpuCounters, type ProbeStep } from './lib/decode-probe.ts';
import { OrtPage } from './lib/ort-page.ts';

const { values } = parseArgs({
  options: {
    positions: { type: 'string', default: '100,1000,2000,3500' },
    steps: { type: 'string', default: '3' },
    'no-generate': { type: 'boolean', default: false },
    'dispatch-log': { type: 'boolean', default: false },
  },
});
const positions = values.positions.split(',').map(Number);
const steps = Number(values.steps);

const modelsDir = join(REPO_ROOT, '.cache', 'bench-decode');
mkdirSync(modelsDir, { recursive: true });
for (const graph of ['split', 'fused'] as const) {
  const out = join(modelsDir, graph);
  console.error(`converting the test model's checkpoint (${graph} graph, q4)...`);
  await convertCheckpoint({ checkpointDir: TINY_LLAMA_DIR, outDir: out, dtypes: ['q4'], chatTemplate: 'agent-flan', graph });
}
writeModelIndex(modelsDir);
const config = JSON.parse(readFileSync(join(modelsDir, 'fused', 'config.json'), 'utf8'));
const layers: number = config.num_hidden_layers;
const common = {
  file: 'model_q4.onnx',
  layers,
  kvHeads: config.num_key_value_heads,
  headDim: config.head_dim,
  ownDevice: true,
  dumpShaders: false,
};
// A short prompt and two steps compile what a decode step needs; then `steps` + 1 steps at each position, the first not counted.
const sequences = [{ phase: 'warmup', runs: [8, 1, 1] }, ...positions.map((p) => ({ phase: `@${p}`, runs: Array(steps + 1).fill(1), startAt: p }))];

interface Row {
  path: string;
  position: number;
  dispatches: number;
  buffersCreated: number;
  uploadBytes: number;
  readbackBytes: number;
  cpuMs: number;
  msPerToken: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summarise(path: string, rows: ProbeStep[]): Row[] {
  return positions.map((p) => {
    const at = rows.filter((r) => r.phase === `@${p}` && r.step > 0);
    const m = (k: keyof ProbeStep) => median(at.map((r) => r[k] as number));
    return {
      path,
      position: p,
      dispatches: m('dispatches'),
      buffersCreated: m('buffersCreated'),
      uploadBytes: m('writeBytes'),
      readbackBytes: m('mapBytes'),
      cpuMs: +median(at.map((r) => r.runMs - r.mapMs)).toFixed(1),
      msPerToken: m('runMs'),
    };
  });
}

const results: Row[] = [];
const adapters: string[] = [];
const logs: string[] = [];
for (const [path, dir, staticCache] of [
  ['old (split graph, growing cache)', 'split', undefined],
  ['new (fused graph, static cache)', 'fused', { contextLength: config.max_position_embeddings, vocabSize: config.vocab_size }],
] as const) {
  const page = await OrtPage.open(REPO_ROOT, [], modelsDir);
  try {
    adapters.push((await page.adapterInfo()).description);
    const { rows } = await probeDecode(page, { ...common, dir: `/models/${dir}/onnx/`, sequences, staticCache });
    results.push(...summarise(path, rows));
    logs.push(`${path}, the last decode step's dispatches (#shader module, bindings @ workgroups):\n  ${rows[rows.length - 1].dispatchLog.join('\n  ')}`);
  } finally {
    await page.close();
  }
}

if (!values['no-generate']) {
  const page = await OrtPage.open(REPO_ROOT, [], modelsDir);
  try {
    await installGpuCounters(page);
    const perToken = await page.page.evaluate(
      async (o: { positions: number[]; steps: number }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const g = globalThis as any;
        const t = await import(/* @vite-ignore */ '/transformers/transformers.web.js' as string);
        t.env.allowLocalModels = true;
        t.env.allowRemoteModels = false;
        t.env.localModelPath = '/models/';
        t.env.useWasmCache = false;
        t.env.backends.onnx.wasm.wasmPaths = '/ort/';
        const adapter = await navigator.gpu.requestAdapter();
        const requiredLimits: Record<string, number> = {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        for (const k in adapter!.limits) if (typeof (adapter!.limits as any)[k] === 'number') requiredLimits[k] = (adapter!.limits as any)[k];
        const requiredFeatures = [...adapter!.features].filter((f) => !String(f).startsWith('subgroup') && !String(f).startsWith('chromium-'));
        const device = await adapter!.requestDevice({ requiredFeatures: requiredFeatures as GPUFeatureName[], requiredLimits });
        const model = await t.AutoModelForCausalLM.from_pretrained('fused', {
          device: 'webgpu',
          dtype: 'q4',
          session_options: { executionProviders: [{ name: 'webgpu', device }] },
        });
        const c = g.gpuCounters as GpuCounters;
        const out: { position: number; steps: { ms: number; counters: GpuCounters }[] }[] = [];
        for (const p of o.positions) {
          const ids = Array.from({ length: p }, (_, i) => (i === 0 ? 1 : 3 + ((i * 7919) % 31000)));
          const marks: { at: number; counters: GpuCounters }[] = [];
          const streamer = {
            put() {
              marks.push({ at: performance.now(), counters: { ...c, entries: [] } });
            },
            end() {},
          };
          const tensor = (xs: number[]) => new t.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
          await model.generate({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), max_new_tokens: o.steps + 2, min_new_tokens: o.steps + 2, do_sample: false, streamer });
          // put() is called with the prompt, then once per new token: the steps between the 2nd and last marks are decode steps.
          const stepsAt = marks.slice(2).map((m, i) => {
            const prev = marks[i + 1];
            const d = {} as GpuCounters;
            for (const k of Object.keys(m.counters) as (keyof GpuCounters)[]) if (k !== 'entries') (d[k] as number) = (m.counters[k] as number) - (prev.counters[k] as number);
            return { ms: m.at - prev.at, counters: d };
          });
          out.push({ position: p, steps: stepsAt });
        }
        await model.dispose();
        return out;
      },
      { positions, steps },
    );
    for (const { position, steps: s } of perToken) {
      const m = (f: (x: (typeof s)[number]) => number) => median(s.map(f));
      results.push({
        path: "transformers.js generate() (fused graph, its own cache)",
        position,
        dispatches: m((x) => x.counters.dispatches),
        buffersCreated: m((x) => x.counters.buffersCreated),
        uploadBytes: m((x) => x.counters.writeBytes),
        readbackBytes: m((x) => x.counters.mapBytes),
        cpuMs: +m((x) => x.ms - x.counters.mapMs).toFixed(1),
        msPerToken: +m((x) => x.ms).toFixed(1),
      });
    }
  } finally {
    await page.close();
  }
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, adapter: ${adapters[0]}; test model (2 layers, hidden 64, q4), context ${config.max_position_embeddings}`);
if (values['dispatch-log']) console.log(logs.join('\n'));
console.table(results);
console.log(
  'dispatches include the 32000-row lm_head and the embedding; "cpuMs" is the run minus the wait for the readback (JS + wasm work on the CPU, ' +
    'which on SwiftShader includes the emulated GPU). Absolute times only mean something on the machine named.',
);
