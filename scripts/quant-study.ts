/**
 * `npm run quant:study`: how close can 4-bit weights in MatMulNBits' format (blocks of 32, one scale and zero point
 * each) bring the shared tiny fixture's last-position logits to PyTorch's? Prints Pearson r for the converter's
 * round-to-nearest and for the stronger alternatives, each on the same TypeScript forward pass.
 *
 *   npm run quant:study [-- --calibration 32x48]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dequantize4, quantize4 } from './convert/quantize.ts';
import { symmetricProjection } from './convert/graph.ts';
import { planWeights } from './convert/weights.ts';
import { TINY_LLAMA_DIR } from './convert/fixture-models.ts';
import { loadCheckpoint } from './lib/checkpoint-weights.ts';
import type { Weights } from './lib/llama-forward.ts';
import { llamaForward } from './lib/llama-forward.ts';
import { Hessian, gptq, mseOptimal, roundToNearest } from './lib/quant-methods.ts';
import { pearson } from './lib/stats.ts';
import { mulberry32 } from '../src/lib/util/random.ts';

const SRC = TINY_LLAMA_DIR;
const reference = JSON.parse(readFileSync(join(SRC, 'reference.json'), 'utf8')) as {
  cases: { input_ids: number[]; last_logits: number[] }[];
};
const arg = process.argv.indexOf('--calibration');
const [sequences, length] = (arg > 0 ? process.argv[arg + 1] : '32x48').split('x').map(Number);

const checkpoint = loadCheckpoint(SRC);
const { spec, weights, shapes } = checkpoint;
const linears = planWeights(spec)
  .filter((w) => w.role === 'linear')
  .map((w) => ({ name: w.sources[0], n: shapes.get(w.sources[0])![0], k: shapes.get(w.sources[0])![1] }));

type Quantizer = (w: Float32Array, n: number, k: number, name: string) => Float32Array;

function build(quantizer: Quantizer): Weights {
  const out: Weights = new Map(weights);
  for (const { name, n, k } of linears) out.set(name, quantizer(weights.get(name)!, n, k, name));
  return out;
}

const shipped: Quantizer = (w, n, k, name) => dequantize4(quantize4(w, n, k, symmetricProjection(name)));
const keepFp32 = (q: Quantizer, keep: (name: string) => boolean): Quantizer => (w, n, k, name) =>
  keep(name) ? w : q(w, n, k, name);

/** Random token sequences: for random weights every token is as typical as any text. */
function calibrationSet(): number[][] {
  const random = mulberry32(2403_12881);
  return Array.from({ length: sequences }, () =>
    Array.from({ length }, () => 3 + Math.floor(random() * (spec.vocabSize - 3))),
  );
}

/**
 * GPTQ, layer by layer in forward order: each layer's inputs are recomputed with the layers before it already
 * quantised, as in the paper. Layers fed the same tensor (q/k/v, gate/up) share one pass.
 */
function gptqBuild(keep: (name: string) => boolean): Weights {
  const current: Weights = new Map(weights);
  const done = new Set<string>();
  const calibration = calibrationSet();
  for (const { name } of linears) {
    if (done.has(name) || keep(name)) continue;
    const hessians = new Map<string, Hessian>();
    const head = name === 'lm_head.weight';
    for (const ids of calibration) {
      let input: Float32Array | null = null;
      const hidden = llamaForward(spec, current, ids, {
        lastOnly: !head,
        hiddenOnly: head,
        onLinearInput: (weight, x, rows, cols) => {
          if (weight === name) input = x;
          if (weight !== name && x !== input) return;
          if (!hessians.has(weight)) hessians.set(weight, new Hessian(cols));
          hessians.get(weight)!.add(x, rows);
        },
      });
      // lm_head's input is the final hidden state, which the forward pass stops at instead of applying it.
      if (head) {
        if (!hessians.has(name)) hessians.set(name, new Hessian(spec.hiddenSize));
        hessians.get(name)!.add(hidden, ids.length);
      }
    }
    for (const [weight, h] of hessians) {
      const { n, k } = linears.find((l) => l.name === weight)!;
      if (!keep(weight)) current.set(weight, gptq(weights.get(weight)!, n, k, h.matrix()));
      done.add(weight);
    }
  }
  return current;
}

/** RMS weight error relative to the weights' RMS, averaged over the matrices that were quantised. */
function relativeError(built: Weights): number {
  const errors = linears.flatMap(({ name }) => {
    const a = weights.get(name)!;
    const b = built.get(name)!;
    let err = 0;
    let norm = 0;
    for (let i = 0; i < a.length; i++) {
      err += (a[i] - b[i]) ** 2;
      norm += a[i] ** 2;
    }
    return err > 0 ? [Math.sqrt(err / norm)] : [];
  });
  return errors.length ? errors.reduce((s, e) => s + e, 0) / errors.length : 0;
}

function report(label: string, built: Weights): void {
  const rs = reference.cases.map((c) => pearson(llamaForward(spec, built, c.input_ids, { lastOnly: true }), c.last_logits));
  const cells = rs.map((r) => r.toFixed(4).padStart(8)).join('');
  console.log(`${label.padEnd(58)}${cells}   ${(100 * relativeError(built)).toFixed(1).padStart(9)}%`);
}

const isHead = (name: string) => name === 'lm_head.weight';
const eightBit = (names: string[]): Quantizer => (w, n, k, name) =>
  roundToNearest(w, n, k, names.some((s) => name.includes(s)) ? 8 : 4);

console.log(`Shared tiny fixture (${spec.numLayers} layers, hidden ${spec.hiddenSize}), ${reference.cases.length} PyTorch reference prompts.`);
console.log(`GPTQ calibration: ${sequences} random sequences of ${length} tokens.\n`);
console.log(`${'weights'.padEnd(58)}${reference.cases.map((_, i) => `r #${i + 1}`.padStart(8)).join('')}   weight error`);
report('fp32 (no quantisation)', weights);
report('4-bit round-to-nearest, the converter (shipped)', build(shipped));
report('  same, lm_head kept fp32', build(keepFp32(shipped, isHead)));
report('4-bit MSE-optimal range + float zero points', build(mseOptimal));
report('4-bit GPTQ, calibrated', gptqBuild(() => false));
report('  same, lm_head kept fp32', gptqBuild(isHead));
report('8-bit v_proj, o_proj (4-bit elsewhere)', build(eightBit(['v_proj', 'o_proj'])));
report('8-bit v_proj, o_proj, down_proj, lm_head (4-bit elsewhere)', build(eightBit(['v_proj', 'o_proj', 'down_proj', 'lm_head'])));
