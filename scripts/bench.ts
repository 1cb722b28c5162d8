/**
 * `npm run bench [-- --model tiny-random-agent-flan --device webgpu --dtype q4 --models-dir dir] [--synthetic]`
 * (--synthetic: a mid-size random Llama built once into .cache/, where prefill, not per-call overhead, dominates)
 * Runs the built app's engine in headless Chromium and prints load time, prefill tok/s, TTFT, decode tok/s,
 * and per-turn TTFT of a 4-turn agent conversation with and without KV-cache reuse, as JSON and a table.
 * Absolute numbers only mean something on the machine they were taken on (it is named in the output);
 * the reuse/no-reuse ratio is comparable across machines.
 */
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { launchChromium } from './lib/chromium';
import { startStaticServer } from './lib/static-server';
import { BENCH_MODEL_ID, ensureBenchModel } from './lib/bench-model';
import type { Engine, GenerateResult, LoadReport } from '../src/lib/engine/types';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'tiny-random-agent-flan' },
    device: { type: 'string' },
    dtype: { type: 'string' },
    'models-dir': { type: 'string' },
    'prefill-words': { type: 'string', default: '300' },
    'decode-tokens': { type: 'string', default: '64' },
    synthetic: { type: 'boolean', default: false },
  },
});
if (values.synthetic) {
  values['models-dir'] = await ensureBenchModel(resolve('.'));
  values.model = BENCH_MODEL_ID;
}
const dist = resolve('dist');
if (!existsSync(resolve(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run fixtures && npm run build` first.');
const modelsDir = values['models-dir'] ? resolve(values['models-dir']) : null;
const app = await startStaticServer({ root: dist });
const models = modelsDir ? await startStaticServer({ root: modelsDir }) : null;
const browser = await launchChromium({ webgpu: values.device !== 'wasm' });
try {
  const page = await browser.newPage();
  // tsx compiles this file with esbuild's keepNames, whose __name helper the evaluated function refers to.
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto(app.url);
  const result = await page.evaluate(
    async (o) => {
      type Hook = { agentFlanWeb: { engine: Engine } };
      const { engine } = (globalThis as unknown as Hook).agentFlanWeb;
      const t0 = performance.now();
      const report: LoadReport = await engine.load({ modelId: o.model, modelBaseUrl: o.base, device: o.device as never, dtype: o.dtype as never });
      const loadMs = performance.now() - t0;
      const turn = (c: string, role: 'h' | 'a') => (role === 'a' ? `<|Assistant|>\u0D46${c}\u0D3F\n ` : `<|Human|>\u0D46${c}\n `);
      const long = Array.from({ length: o.prefillWords }, (_, i) => `row${i}`).join(' ');
      await engine.reset();
      const prefill = await engine.generate({ prompt: turn(long, 'h') + '<|Assistant|>\u0D46', temperature: 0, maxNewTokens: 1 });
      await engine.reset();
      const decode = await engine.generate({ prompt: turn('Count to one hundred.', 'h') + '<|Assistant|>\u0D46', temperature: 0, maxNewTokens: o.decodeTokens, stop: [] });
      const observations = ['[(1, "Alice", 30), (2, "Bob", 25)]', '[(3,)]', 'Query OK, 1 row affected', '[("done",)]'];
      const conversation = async (reuse: boolean) => {
        let history = turn('You are a database agent. Answer with SQL.', 'h') + turn('How many users are older than 26?', 'h');
        const ttft: number[] = [];
        await engine.reset();
        for (const obs of observations) {
          if (!reuse) await engine.reset();
          const r: GenerateResult = await engine.generate({ prompt: history + '<|Assistant|>\u0D46', temperature: 0, maxNewTokens: 16 });
          ttft.push(r.timings.ttftMs);
          history += turn(r.text, 'a') + turn(obs, 'h');
        }
        return ttft;
      };
      const withReuse = await conversation(true);
      const withoutReuse = await conversation(false);
      return { report, loadMs, prefill, decode, withReuse, withoutReuse };
    },
    {
      model: values.model!,
      base: models ? models.url : new URL('models/', app.url).href,
      device: values.device,
      dtype: values.dtype,
      prefillWords: Number(values['prefill-words']),
      decodeTokens: Number(values['decode-tokens']),
    },
  );
  const p = result.prefill.timings;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const summary = {
    machine: `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM`,
    adapter: [result.report.adapter.vendor, result.report.adapter.architecture].filter(Boolean).join(' ') || 'none',
    model: values.model,
    device: result.report.device,
    dtype: result.report.dtype,
    loadSeconds: +(result.loadMs / 1000).toFixed(2),
    prefillTokens: p.promptTokens,
    prefillTokensPerSecond: +((p.promptTokens / p.prefillMs) * 1000).toFixed(1),
    ttftMs: +result.decode.timings.ttftMs.toFixed(1),
    decodeTokensPerSecond: +result.decode.timings.decodeTokensPerSecond.toFixed(1),
    turnTtftWithReuseMs: result.withReuse.map((x) => +x.toFixed(1)),
    turnTtftWithoutReuseMs: result.withoutReuse.map((x) => +x.toFixed(1)),
    reuseSpeedup: +(sum(result.withoutReuse.slice(1)) / sum(result.withReuse.slice(1))).toFixed(2),
  };
  console.log(JSON.stringify(summary, null, 2));
  console.table({
    load: `${summary.loadSeconds} s`,
    prefill: `${summary.prefillTokensPerSecond} tok/s over ${summary.prefillTokens} tokens`,
    ttft: `${summary.ttftMs} ms`,
    decode: `${summary.decodeTokensPerSecond} tok/s`,
    'turn TTFT, reuse': summary.turnTtftWithReuseMs.join(' / ') + ' ms',
    'turn TTFT, no reuse': summary.turnTtftWithoutReuseMs.join(' / ') + ' ms',
    'reuse speed-up (turns 2-4)': `${summary.reuseSpeedup}x`,
  });
} finally {
  await browser.close();
  await app.close();
  await models?.close();
}
