/**
 * The converted test model on onnxruntime-web's WebGPU execution provider in headless Chromium (SwiftShader
 * adapter here: no shader-f16, so q4 and fp32 run; q4f16 needs a GPU with shader-f16). Checks the graph's ops
 * run there and give PyTorch's (fp32) or the CPU build's (q4) logits. Which nodes onnxruntime placed on WebGPU is
 * not visible from a release build; its warning that some (shape) nodes went to the CPU is printed.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtureModels, REPO_ROOT, sharedDir } from '../../scripts/convert/fixture-models.ts';
import { forwardLogits, loadConverted } from '../support/transformers-node.ts';
import { pearson } from '../../scripts/lib/stats.ts';

const MODELS = join(REPO_ROOT, 'public', 'models');
const ORT_DIST = join(REPO_ROOT, 'node_modules', 'onnxruntime-web', 'dist');
const reference = JSON.parse(readFileSync(join(sharedDir(), 'fixtures/hf-reference/tiny-llama-safetensors/reference.json'), 'utf8')) as {
  cases: { input_ids: number[]; last_logits: number[] }[];
};
const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  await ensureFixtureModels();
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, top, ...rest] = url.pathname.split('/');
    const base = top === 'models' ? MODELS : top === 'ort' ? ORT_DIST : null;
    const file = base ? normalize(join(base, ...rest)) : null;
    if (url.pathname === '/') {
      const page = `<!doctype html><script type="module">import * as ort from '/ort/ort.webgpu.min.mjs'; globalThis.ort = ort;</script>`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    if (!file || !file.startsWith(base!) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-webgpu-adapter=swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

interface PageResult {
  adapter: string;
  lastLogits: number[];
  presentDims: number[];
  log: string[];
}

async function runOnWebGpu(file: string, inputIds: number[]): Promise<PageResult> {
  const page = await browser.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  await page.goto(origin + '/');
  await page.waitForFunction(() => 'ort' in globalThis);
  const result = await page.evaluate(
    async ({ file, inputIds }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ort = (globalThis as any).ort;
      ort.env.wasm.wasmPaths = '/ort/';
      ort.env.wasm.numThreads = 1;
      const adapter = await (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info?: { description?: string; vendor?: string } } | null> } }).gpu.requestAdapter();
      const dir = '/models/tiny-random-agent-flan/onnx/';
      const model = new Uint8Array(await (await fetch(dir + file)).arrayBuffer());
      const data = new Uint8Array(await (await fetch(dir + file + '_data')).arrayBuffer());
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ['webgpu'],
        externalData: [{ path: file + '_data', data }],
        logSeverityLevel: 2,
      });
      const S = inputIds.length;
      const i64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
      const feeds: Record<string, unknown> = {
        input_ids: i64(inputIds),
        attention_mask: i64(inputIds.map(() => 1)),
        position_ids: i64(inputIds.map((_, i) => i)),
        num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.of(0n), []),
      };
      for (let l = 0; l < 2; l++) for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, 4, 0, 16]);
      const out = await session.run(feeds);
      const logits = out.logits.data as Float32Array;
      return {
        adapter: `${adapter?.info?.vendor ?? '?'} ${adapter?.info?.description ?? ''}`,
        lastLogits: Array.from(logits.subarray((S - 1) * 32000, S * 32000)),
        presentDims: out['present.1.value'].dims as number[],
      };
    },
    { file, inputIds },
  );
  await page.close();
  return { ...result, log };
}

describe('converted test model on WebGPU (onnxruntime-web in Chromium)', () => {
  const c = reference.cases[0];

  it('fp32 runs on WebGPU and matches the PyTorch logits', async () => {
    const r = await runOnWebGpu('model.onnx', c.input_ids);
    console.log(`adapter: ${r.adapter}\n${r.log.join('\n')}`);
    expect(r.presentDims).toEqual([1, 4, c.input_ids.length, 16]);
    let maxDiff = 0;
    r.lastLogits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - c.last_logits[i]))));
    console.log(`WebGPU fp32: max |logit - PyTorch| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('q4 (MatMulNBits, fp32 activations) gives the CPU build\'s logits', async () => {
    const r = await runOnWebGpu('model_q4.onnx', c.input_ids);
    console.log(r.log.join('\n'));
    const cpu = await loadConverted(join(MODELS, 'tiny-random-agent-flan'), 'q4');
    const logits = await forwardLogits(cpu, c.input_ids);
    const last = logits.subarray((c.input_ids.length - 1) * 32000);
    let maxDiff = 0;
    r.lastLogits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - last[i]))));
    console.log(`WebGPU q4: max |logit - CPU q4| = ${maxDiff.toExponential(2)}, Pearson r vs PyTorch = ${pearson(r.lastLogits, c.last_logits).toFixed(5)}`);
    expect(maxDiff).toBeLessThan(1e-3);
    await cpu.dispose();
  });
});
