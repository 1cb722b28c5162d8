/**
 * A headless Chromium page with onnxruntime-web (WebGPU build) loaded, for running the same ONNX model on the
 * WebGPU and wasm execution providers side by side. Node serves the ort dist, public/models and model bytes
 * registered with `addBlob`; transformers.js's web build is importable from /transformers/transformers.web.js. Used by the
 * WebGPU-vs-CPU investigation script and its test, and the decode benchmark.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

export interface FeedSpec {
  type: 'int64' | 'int32' | 'float32';
  dims: number[];
  data: number[];
}

export interface RunResult {
  outputs: Record<string, { dims: number[]; data: number[] }>;
  error?: string;
}

/** `webgpu-nosubgroups`: WebGPU on a device created without the adapter's `subgroups` feature. */
export type Ep = 'webgpu' | 'wasm' | 'webgpu-nosubgroups';

export class OrtPage {
  private blobs = new Map<string, Uint8Array>();
  private constructor(
    private server: Server,
    private browser: Browser,
    readonly page: Page,
    readonly log: string[],
  ) {}

  static async open(repoRoot: string, extraArgs: string[] = [], modelsDir = join(repoRoot, 'public', 'models')): Promise<OrtPage> {
    const blobs = new Map<string, Uint8Array>();
    const roots: Record<string, string> = {
      models: modelsDir,
      ort: join(repoRoot, 'node_modules', 'onnxruntime-web', 'dist'),
      transformers: join(repoRoot, 'node_modules', '@huggingface', 'transformers', 'dist'),
    };
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/') {
        // transformers.js (/transformers/transformers.web.js) imports onnxruntime by bare name: the same build.
        const imports = { 'onnxruntime-web/webgpu': '/ort/ort.webgpu.min.mjs', 'onnxruntime-common': '/ort/ort.webgpu.min.mjs' };
        const page =
          `<!doctype html><script type="importmap">${JSON.stringify({ imports })}</script>` +
          `<script type="module">import * as ort from '/ort/ort.webgpu.min.mjs'; globalThis.ort = ort;</script>`;
        res.writeHead(200, { 'content-type': 'text/html' }).end(page);
        return;
      }
      const [, top, ...rest] = url.pathname.split('/');
      if (top === 'blob') {
        const b = blobs.get(rest.join('/'));
        if (!b) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b);
        return;
      }
      const base = roots[top];
      const file = base ? normalize(join(base, ...rest)) : null;
      if (!file || !file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium({ webgpu: true, args: extraArgs });
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    await page.goto(origin + '/');
    await page.waitForFunction(() => 'ort' in globalThis);
    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ort = (globalThis as any).ort;
      ort.env.wasm.wasmPaths = '/ort/';
      ort.env.wasm.numThreads = 1;
    });
    const p = new OrtPage(server, browser, page, log);
    p.blobs = blobs;
    return p;
  }

  addBlob(name: string, bytes: Uint8Array) {
    this.blobs.set(name, bytes);
  }

  /** The adapter, its features, its subgroup size range, and the subgroup_size a compute shader actually sees. */
  async adapterInfo(): Promise<{ description: string; features: string[]; subgroupMinSize?: number; subgroupMaxSize?: number; measuredSubgroupSize?: number }> {
    return this.page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const adapter = await (navigator as any).gpu.requestAdapter();
      const info = adapter?.info ?? {};
      const features = [...(adapter?.features ?? [])] as string[];
      let measured: number | undefined;
      if (features.includes('subgroups')) {
        const device = await adapter.requestDevice({ requiredFeatures: ['subgroups'] });
        const code = `enable subgroups;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64) fn main(@builtin(subgroup_size) s: u32, @builtin(local_invocation_index) i: u32) { if (i == 0u) { out[0] = s; } }`;
        const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
        const buf = device.createBuffer({ size: 4, usage: 0x80 | 0x04 }); // STORAGE | COPY_SRC
        const read = device.createBuffer({ size: 4, usage: 0x01 | 0x08 }); // MAP_READ | COPY_DST
        const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bind);
        pass.dispatchWorkgroups(1);
        pass.end();
        enc.copyBufferToBuffer(buf, 0, read, 0, 4);
        device.queue.submit([enc.finish()]);
        await read.mapAsync(1);
        measured = new Uint32Array(read.getMappedRange())[0];
        device.destroy();
      }
      return {
        description: `${info.vendor ?? '?'} ${info.architecture ?? ''} ${info.description ?? ''}`.trim(),
        features,
        subgroupMinSize: info.subgroupMinSize,
        subgroupMaxSize: info.subgroupMaxSize,
        measuredSubgroupSize: measured,
      };
    });
  }

  /**
   * Runs `model` (URL of the .onnx; `data` URL of its external data file, named `dataName` inside the model)
   * on one execution provider. Sessions are cached per (url, ep).
   */
  async run(ep: Ep, model: string, feeds: Record<string, FeedSpec>, data?: { url: string; name: string }, outputs?: string[]): Promise<RunResult> {
    return this.page.evaluate(
      async ({ ep, model, feeds, data, outputs }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const g = globalThis as any;
        const ort = g.ort;
        g.sessions ??= new Map();
        const key = `${ep} ${model}`;
        try {
          let session = g.sessions.get(key);
          if (!session) {
            const bytes = new Uint8Array(await (await fetch(model)).arrayBuffer());
            const externalData = data ? [{ path: data.name, data: new Uint8Array(await (await fetch(data.url)).arrayBuffer()) }] : undefined;
            let provider: unknown = ep;
            if (ep === 'webgpu-nosubgroups') {
              // eslint-disable-next-line @typescript-eslint/no-explicit-any
              const adapter = await (navigator as any).gpu.requestAdapter();
              const requiredLimits: Record<string, number> = {};
              for (const k in adapter.limits) if (typeof adapter.limits[k] === 'number') requiredLimits[k] = adapter.limits[k];
              const requiredFeatures = [...adapter.features].filter((f) => !String(f).startsWith('subgroup') && !String(f).startsWith('chromium-'));
              const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
              provider = { name: 'webgpu', device };
            }
            session = await ort.InferenceSession.create(bytes, { executionProviders: [provider], externalData, logSeverityLevel: 3 });
            g.sessions.set(key, session);
          }
          const f: Record<string, unknown> = {};
          for (const [name, s] of Object.entries(feeds)) {
            const arr =
              s.type === 'int64' ? BigInt64Array.from(s.data.map((x) => BigInt(x))) : s.type === 'int32' ? Int32Array.from(s.data) : Float32Array.from(s.data);
            f[name] = new ort.Tensor(s.type, arr, s.dims);
          }
          const out = await session.run(f);
          const result: Record<string, { dims: number[]; data: number[] }> = {};
          for (const name of outputs ?? Object.keys(out)) {
            const t = out[name];
            const d = t.data;
            result[name] = { dims: [...t.dims], data: d instanceof BigInt64Array ? Array.from(d, Number) : Array.from(d as Float32Array) };
          }
          return { outputs: result };
        } catch (e) {
          return { outputs: {}, error: String((e as Error)?.stack ?? e) };
        }
      },
      { ep, model, feeds, data, outputs },
    );
  }

  async close() {
    await this.browser.close();
    await new Promise((r) => this.server.close(r));
  }
}
