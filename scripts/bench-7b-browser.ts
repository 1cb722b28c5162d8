/**
 * `npm run bench:7b-browser [-- --layers N] [--timeout-min 60]`: the full-size model in the real browser path.
 * Serves the Agent-FLAN-7B-shaped q4 build (random weights, fused graph, external data in <= 1.9 GB chunks; built
 * once into the git-ignored .cache/bench-7b/ by scripts/lib/seven-b-build.ts) beside the built app (dist/), and in
 * headless Chromium (SwiftShader WebGPU; wasm cannot hold 3.9 GB) loads it through the app's engine: the app's
 * downloader fetches it into OPFS (hashing every byte as it arrives), the engine creates the session through
 * transformers.js and warms it up, then one token is generated. Prints the download, verify and session-creation
 * times, the peak JS heap (the page's measureUserAgentSpecificMemory, which counts the model worker) and the peak
 * RSS of Chromium's processes by kind (the renderer holds the worker's heap and ArrayBuffers; on SwiftShader the GPU
 * process holds the "GPU" buffers), and any failure with its cause. `--layers 2` runs the same path on a 2-layer
 * build (0.8 GB) in minutes. Times on a shared 2-core machine are noise; memory peaks are what this measures.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchPersistent } from './lib/chromium.ts';
import { startStaticServer } from './lib/static-server.ts';
import { SEVEN_B_CACHE, ensureSevenBBuild } from './lib/seven-b-build.ts';
import { writeModelIndex } from './convert/fixture-models.ts';
import type { LoadProgress } from '../src/lib/engine/types.ts';
import type { ModelManifest } from '../src/lib/models/manifest.ts';

const { values } = parseArgs({ options: { layers: { type: 'string', default: '32' }, 'timeout-min': { type: 'string', default: '90' } } });
const layers = Number(values.layers);
const timeoutMs = Number(values['timeout-min']) * 60_000;
const DIST = join(import.meta.dirname, '..', 'dist');
if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first.');

const modelDir = await ensureSevenBBuild(console.log, layers);
const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
writeModelIndex(SEVEN_B_CACHE);
const q4 = manifest.dtypes.q4!;
console.log(
  `model: ${manifest.id}, ${manifest.numLayers} layers, q4 ${(q4.bytes / 1e9).toFixed(2)} GB in ${q4.files.length} files ` +
    `(external data ${q4.files.filter((f) => f.path.includes('_data')).map((f) => (f.bytes / 1e9).toFixed(2)).join(' + ')} GB), ` +
    `largest tensor ${(q4.maxTensorBytes / 1e6).toFixed(0)} MB, est. GPU ${(q4.gpuBytes / 1e9).toFixed(2)} GB`,
);

/** RSS of every Chromium process below this one, by its --type (browser, renderer, gpu-process, utility...). */
function chromiumRss(): Record<string, number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const out: Record<string, number> = {};
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/.test(cmd.split('\0')[0])) continue;
      const kind = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      out[kind] = (out[kind] ?? 0) + rss;
    } catch {
      // Gone.
    }
  }
  return out;
}

const peakRss: Record<string, number> = {};
let peakTotal = 0;
const sampler = setInterval(() => {
  const now = chromiumRss();
  let total = 0;
  for (const [k, v] of Object.entries(now)) {
    peakRss[k] = Math.max(peakRss[k] ?? 0, v);
    total += v;
  }
  peakTotal = Math.max(peakTotal, total);
}, 500);

const GB = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
const server = await startStaticServer({ root: DIST, mounts: { '/bench-models/': SEVEN_B_CACHE } });
const profile = join(SEVEN_B_CACHE, 'profile');
rmSync(profile, { recursive: true, force: true });
const { context } = await launchPersistent({ webgpu: true, userDataDir: profile, args: ['--enable-blink-features=ForceEagerMeasureMemory'] });
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on('crash', () => consoleLines.push('the page crashed (renderer process gone: out of memory?)'));
  // tsx compiles this file with esbuild's keepNames, whose __name helper the evaluated functions refer to.
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto(`${server.url}?models=/bench-models/&model=${manifest.id}&device=webgpu&dtype=q4&watchdog=0`);
  await page.waitForFunction(() => 'agentFlanWeb' in globalThis);

  // Peak JS heap: the page's measurement includes its dedicated workers (the model worker), polled while loading.
  let peakJs = 0;
  const heapPoll = setInterval(() => {
    page
      .evaluate(async () => {
        const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
        return crossOriginIsolated && p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).bytes : -1;
      })
      .then((b) => (peakJs = Math.max(peakJs, b)), () => {});
  }, 2000);

  const result = await page.evaluate(
    async ({ id, timeoutMs }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { engine } = (globalThis as any).agentFlanWeb;
      const marks: Record<string, number> = { start: performance.now() };
      let downloaded = 0;
      const onProgress = (p: LoadProgress) => {
        if (p.phase === 'download' && p.totalLoaded >= p.totalBytes && !marks.bytesIn) marks.bytesIn = performance.now();
        if (!marks[p.phase]) marks[p.phase] = performance.now();
        downloaded = p.totalLoaded;
      };
      const timeout = new Promise<never>((_, no) => setTimeout(() => no(new Error(`gave up after ${timeoutMs / 60000} min`)), timeoutMs));
      try {
        const report = await Promise.race([engine.load({ modelId: id, modelBaseUrl: new URL('/bench-models/', location.href).href, device: 'webgpu', dtype: 'q4' }, onProgress), timeout]);
        marks.loaded = performance.now();
        // A second check of the stored files: what a reload costs before the session is created.
        const t = performance.now();
        await engine.download({ modelId: id, modelBaseUrl: new URL('/bench-models/', location.href).href, device: 'webgpu', dtype: 'q4' });
        const storedCheckMs = performance.now() - t;
        const g0 = performance.now();
        const out = await Promise.race([engine.generate({ prompt: 'Hello', maxNewTokens: 1, temperature: 0 }), timeout]);
        return { ok: true as const, marks, report, storedCheckMs, tokenMs: performance.now() - g0, tokens: out.tokens, text: out.text, downloaded };
      } catch (e) {
        marks.failed = performance.now();
        return { ok: false as const, marks, error: `${(e as Error).name}: ${(e as Error).message}`, downloaded };
      }
    },
    { id: manifest.id, timeoutMs },
  );
  clearInterval(heapPoll);
  const s = (a: string, b: string) => (result.marks[a] && result.marks[b] ? `${((result.marks[b] - result.marks[a]) / 1000).toFixed(1)} s` : 'n/a');
  console.log(`download into OPFS, hashing as it streams (${GB(result.downloaded)}): ${s('start', 'bytesIn')}`);
  console.log(`verify (last byte in -> files marked verified, session creation starts): ${s('bytesIn', 'compile')}`);
  console.log(`session creation (transformers.js + onnxruntime-web, weights uploaded to the GPU): ${s('compile', 'warmup')}`);
  console.log(`warm-up forward pass: ${s('warmup', 'ready')}`);
  if (result.ok) {
    console.log(`check of the stored files on a second load: ${(result.storedCheckMs / 1000).toFixed(2)} s`);
    console.log(`one token: ${(result.tokenMs / 1000).toFixed(1)} s (${result.tokens} token, ${JSON.stringify(result.text)}); engine: ${result.report.device} ${result.report.dtype}, ${result.report.reasons.join('; ')}`);
  } else {
    failed = true;
    console.log(`FAILED after ${s('start', 'failed')}: ${result.error}`);
  }
  console.log(`peak JS heap (page + model worker, measureUserAgentSpecificMemory): ${peakJs > 0 ? GB(peakJs) : 'not measured'}`);
  if (consoleLines.length) console.log(`console errors:\n  ${consoleLines.slice(-10).join('\n  ')}`);
} finally {
  clearInterval(sampler);
  console.log(`peak RSS of Chromium's processes: total ${GB(peakTotal)}; ${Object.entries(peakRss).map(([k, v]) => `${k} ${GB(v)}`).join(', ')}`);
  await context.close().catch(() => {});
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
