import { describe, expect, it } from 'vitest';
import { Hessian, cholesky, gptq, mseOptimal, roundToNearest } from '../../scripts/lib/quant-methods.ts';
import { mulberry32 } from '../../src/lib/util/random.ts';

function gaussian(random: () => number, count: number, std = 1): Float32Array {
  return Float32Array.from({ length: count }, () => std * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

function sqError(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** || (W - Q) X^T ||^2 for inputs X [rows, k]. */
function outputError(w: Float32Array, q: Float32Array, n: number, k: number, x: Float32Array, rows: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < n; o++) {
      let acc = 0;
      for (let c = 0; c < k; c++) acc += (w[o * k + c] - q[o * k + c]) * x[r * k + c];
      s += acc * acc;
    }
  }
  return s;
}

describe('quantisers of the accuracy study', () => {
  const random = mulberry32(7);
  const n = 24;
  const k = 80; // a ragged last block of 16
  const w = gaussian(random, n * k, 0.05);

  it('round-to-nearest stays within half a step of every weight, and 8 bits beat 4', () => {
    const q4 = roundToNearest(w, n, k, 4);
    const q8 = roundToNearest(w, n, k, 8);
    for (let row = 0; row < n; row++) {
      for (let start = 0; start < k; start += 32) {
        const block = Array.from(w.subarray(row * k + start, row * k + Math.min(start + 32, k)));
        const step = (Math.max(0, ...block) - Math.min(0, ...block)) / 15;
        block.forEach((v, i) => expect(Math.abs(q4[row * k + start + i] - v)).toBeLessThanOrEqual(step / 2 + 1e-7));
      }
    }
    expect(sqError(w, q8)).toBeLessThan(sqError(w, q4) / 100);
  });

  it('the MSE-optimal search never does worse than round-to-nearest', () => {
    expect(sqError(w, mseOptimal(w, n, k))).toBeLessThan(sqError(w, roundToNearest(w, n, k, 4)));
  });

  it('cholesky reconstructs a symmetric positive definite matrix', () => {
    const m = 9;
    const a = gaussian(random, m * m);
    const spd = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let p = 0; p < m; p++) spd[i * m + j] += a[i * m + p] * a[j * m + p];
    for (let i = 0; i < m; i++) spd[i * m + i] += 0.1;
    const l = cholesky(spd, m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < m; p++) s += l[i * m + p] * l[j * m + p];
        expect(s).toBeCloseTo(spd[i * m + j], 9);
      }
    }
  });

  it('GPTQ with uncorrelated inputs of equal scale is round-to-nearest', () => {
    const identity = new Float64Array(k * k);
    for (let i = 0; i < k; i++) identity[i * k + i] = 1;
    expect(Array.from(gptq(w, n, k, identity))).toEqual(Array.from(roundToNearest(w, n, k, 4)));
  });

  it('GPTQ cuts the output error on correlated inputs', () => {
    // Inputs living mostly in a few directions, as a layer's activations do.
    const rows = 400;
    const basis = gaussian(random, 6 * k);
    const x = new Float32Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const coef = gaussian(random, 6);
      for (let c = 0; c < k; c++) {
        let v = 0.05 * gaussian(random, 1)[0];
        for (let b = 0; b < 6; b++) v += coef[b] * basis[b * k + c];
        x[r * k + c] = v;
      }
    }
    const h = new Hessian(k);
    h.add(x, rows);
    const rtn = outputError(w, roundToNearest(w, n, k, 4), n, k, x, rows);
    const corrected = outputError(w, gptq(w, n, k, h.matrix()), n, k, x, rows);
    expect(corrected).toBeLessThan(rtn / 2);
  });
});
