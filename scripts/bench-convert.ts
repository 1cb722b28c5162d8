/**
 * `npm run bench:convert [-- --layers N] [--dtype q4f16,q4]`: writes a Llama-2-7B-shaped checkpoint laid out like
 * Agent-FLAN-7B's (InternLM v1 config, two bf16 pytorch_model-0000N-of-00002.bin shards, random weights) into a
 * temp dir under /tmp, converts it in a child process, prints the conversion's seconds and peak RSS, and deletes
 * everything. --layers scales the depth down (32 = full size, 13.5 GB of weights). --smoke then loads the first
 * converted dtype with onnxruntime-node (CPU) and runs one 8-token forward pass through its external-data chunks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertCheckpoint } from './convert/convert.ts';
import { writeSevenBWidthCheckpoint } from './lib/seven-b-checkpoint.ts';
import type { BuildDtype } from './convert/graph.ts';
import { BUILD_DTYPES, onnxFileName } from './convert/graph.ts';

const VOCAB = 32000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Child mode: convert and report what this process used. */
async function convertChild(src: string, out: string, dtypes: BuildDtype[]): Promise<void> {
  const started = Date.now();
  await convertCheckpoint({ checkpointDir: src, outDir: out, dtypes, chatTemplate: 'agent-flan' });
  const seconds = (Date.now() - started) / 1000;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  console.log(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, vmHwmMB: hwm ? Number(hwm[1]) / 1024 : null }));
}

/** One forward pass of 8 tokens with an empty cache; checks shapes and that every logit is finite. */
async function smoke(file: string, dtype: BuildDtype, layers: number): Promise<void> {
  const ort = await import('onnxruntime-node');
  let t = Date.now();
  const session = await ort.InferenceSession.create(file);
  const loadS = (Date.now() - t) / 1000;
  const ids = [1, 529, 29989, 29950, 7889, 29989, 29958, 30840];
  const i64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    input_ids: i64(ids),
    attention_mask: i64(ids.map(() => 1)),
  };
  if (session.inputNames.includes('position_ids')) feeds.position_ids = i64(ids.map((_, i) => i));
  const kvType = dtype === 'q4f16' ? 'float16' : 'float32';
  for (let l = 0; l < layers; l++)
    for (const kv of ['key', 'value'])
      feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor(kvType, kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, 32, 0, 128]);
  t = Date.now();
  const out = await session.run(feeds);
  const logits = out.logits.data as Float32Array;
  const finite = logits.every(Number.isFinite);
  console.log(
    `smoke (${dtype}, onnxruntime-node CPU): load ${loadS.toFixed(1)} s, 8-token forward ${((Date.now() - t) / 1000).toFixed(1)} s, ` +
      `logits [${out.logits.dims}] ${finite ? 'all finite' : 'NOT FINITE'}, present.0.key [${out['present.0.key'].dims}]`,
  );
  await session.release();
  if (!finite || logits.length % VOCAB !== 0) throw new Error('smoke forward pass gave bad logits');
}

async function main(): Promise<void> {
  const dtypes = (arg('--dtype') ?? 'q4f16,q4').split(',') as BuildDtype[];
  if (dtypes.some((d) => !BUILD_DTYPES.includes(d))) throw new Error(`--dtype: choose from ${BUILD_DTYPES.join(', ')}`);
  if (process.argv.includes('--child')) return convertChild(arg('--src')!, arg('--out')!, dtypes);

  const layers = Number(arg('--layers') ?? 32);
  if (!Number.isInteger(layers) || layers < 1 || layers > 32) throw new Error('--layers: an integer from 1 to 32');
  const root = mkdtempSync(join(tmpdir(), 'bench-convert-'));
  try {
    const src = join(root, 'checkpoint');
    const out = join(root, 'out');
    mkdirSync(src);
    let t = Date.now();
    const total = writeSevenBWidthCheckpoint(src, { layers });
    console.log(`checkpoint: ${layers} layers, ${(total / 1e9).toFixed(2)} GB bf16 .bin shards written in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', '--src', src, '--out', out, '--dtype', dtypes.join(',')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`conversion failed (exit ${child.status}): ${child.stdout}`);
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    console.log(`convert (${dtypes.join(',')}): ${report.seconds.toFixed(1)} s, peak RSS ${report.maxRssMB.toFixed(0)} MB (VmHWM ${report.vmHwmMB?.toFixed(0)} MB)`);
    for (const [d, e] of Object.entries(manifest.dtypes) as [string, { bytes: number; files: { path: string }[]; gpuBytes: number; maxTensorBytes: number }][]) {
      const chunks = e.files.filter((f) => f.path.includes('_data')).length;
      console.log(`  ${d}: ${(e.bytes / 1e9).toFixed(2)} GB download in ${chunks} data chunk(s), largest tensor ${(e.maxTensorBytes / 1e6).toFixed(0)} MB, est. GPU ${(e.gpuBytes / 1e9).toFixed(2)} GB`);
    }
    console.log(`  (child wall time incl. start-up: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    if (process.argv.includes('--smoke')) await smoke(join(out, 'onnx', onnxFileName(dtypes[0])), dtypes[0], layers);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench:convert: ${(e as Error).message}`);
  process.exit(1);
});
