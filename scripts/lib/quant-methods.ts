/**
 * Weight quantisers for the accuracy study (`npm run quant:study`), all in MatMulNBits' format family
 * (blocks of 32 along K, one scale and one offset per block), returning the dequantised weights.
 * The converter itself ships round-to-nearest (scripts/convert/quantize.ts); these measure what the
 * alternatives would buy.
 */
export const BLOCK = 32;

interface Grid {
  scale: number;
  offset: number;
  max: number;
}

/** The grid MatMulNBits can express: [lo, hi] widened to hold 0, an integer zero point. */
function integerGrid(lo: number, hi: number, bits: number): Grid {
  const max = 2 ** bits - 1;
  lo = Math.min(lo, 0);
  hi = Math.max(hi, 0);
  const scale = hi > lo ? (hi - lo) / max : 1;
  const zp = Math.min(max, Math.max(0, Math.round(-lo / scale)));
  return { scale, offset: -zp * scale, max };
}

function code(v: number, g: Grid): number {
  return Math.min(g.max, Math.max(0, Math.round((v - g.offset) / g.scale)));
}

function range(w: Float32Array, from: number, to: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    lo = Math.min(lo, w[i]);
    hi = Math.max(hi, w[i]);
  }
  return [lo, hi];
}

/** Round-to-nearest with an integer zero point per block, any bit width. */
export function roundToNearest(w: Float32Array, n: number, k: number, bits: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let row = 0; row < n; row++) {
    for (let start = 0; start < k; start += BLOCK) {
      const from = row * k + start;
      const to = row * k + Math.min(start + BLOCK, k);
      const g = integerGrid(...range(w, from, to), bits);
      for (let i = from; i < to; i++) out[i] = code(w[i], g) * g.scale + g.offset;
    }
  }
  return out;
}

/**
 * The best 4-bit block grid by search: the block's range shrunk on a 9 x 9 lattice, and for each set of codes the
 * least-squares scale and (float) offset. Float offsets are legal MatMulNBits zero points (same type as the scales).
 */
export function mseOptimal(w: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(w.length);
  const codes = new Float64Array(BLOCK);
  for (let row = 0; row < n; row++) {
    for (let start = 0; start < k; start += BLOCK) {
      const from = row * k + start;
      const len = Math.min(BLOCK, k - start);
      const [lo0, hi0] = range(w, from, from + len);
      let best = Infinity;
      for (let a = 0; a <= 8; a++) {
        for (let b = 0; b <= 8; b++) {
          const lo = lo0 * (0.6 + a * 0.05);
          const hi = hi0 * (0.6 + b * 0.05);
          const g: Grid = { scale: hi > lo ? (hi - lo) / 15 : 1, offset: lo, max: 15 };
          let mc = 0;
          let mv = 0;
          for (let i = 0; i < len; i++) {
            codes[i] = code(w[from + i], g);
            mc += codes[i];
            mv += w[from + i];
          }
          mc /= len;
          mv /= len;
          let scc = 0;
          let scv = 0;
          for (let i = 0; i < len; i++) {
            scc += (codes[i] - mc) ** 2;
            scv += (codes[i] - mc) * (w[from + i] - mv);
          }
          const scale = scc > 0 ? scv / scc : 0;
          const offset = mv - scale * mc;
          let err = 0;
          for (let i = 0; i < len; i++) err += (codes[i] * scale + offset - w[from + i]) ** 2;
          if (err < best) {
            best = err;
            for (let i = 0; i < len; i++) out[from + i] = codes[i] * scale + offset;
          }
        }
      }
    }
  }
  return out;
}

/** X^T X / rows, accumulated over calibration inputs [rows, k]. */
export class Hessian {
  readonly h: Float64Array;
  private rows = 0;
  constructor(readonly k: number) {
    this.h = new Float64Array(k * k);
  }
  add(x: Float32Array, rows: number): void {
    const { k, h } = this;
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      for (let i = 0; i < k; i++) {
        const xi = x[o + i];
        if (xi === 0) continue;
        for (let j = 0; j <= i; j++) h[i * k + j] += xi * x[o + j];
      }
    }
    this.rows += rows;
  }
  /** The symmetric matrix, normalised by the number of rows. */
  matrix(): Float64Array {
    const { k, h } = this;
    const m = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = h[i * k + j] / Math.max(1, this.rows);
    }
    return m;
  }
}

/** Lower-triangular L with a = L L^T (a symmetric positive definite, k x k). */
export function cholesky(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (!(s > 0)) throw new Error(`cholesky: matrix not positive definite at ${i}`);
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  return l;
}

/** a^-1 for symmetric positive definite a, through its Cholesky factor. */
function inverseSpd(a: Float64Array, k: number): Float64Array {
  const l = cholesky(a, k);
  const linv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = c; i < k; i++) {
      let s = i === c ? 1 : 0;
      for (let p = c; p < i; p++) s -= l[i * k + p] * linv[p * k + c];
      linv[i * k + c] = s / l[i * k + i];
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = i; p < k; p++) s += linv[p * k + i] * linv[p * k + j];
      inv[i * k + j] = inv[j * k + i] = s;
    }
  }
  return inv;
}

/**
 * GPTQ (Frantar et al. 2022) for [N, K] weights with 4-bit integer-zero-point blocks of 32: columns are rounded in
 * order, each block's grid is taken from the already error-corrected weights when the block starts, and each
 * column's rounding error is spread over the later columns through the inverse Hessian of the layer's inputs.
 */
export function gptq(w: Float32Array, n: number, k: number, hessian: Float64Array, damp = 0.01): Float32Array {
  const h = Float64Array.from(hessian);
  let mean = 0;
  for (let i = 0; i < k; i++) mean += h[i * k + i] / k;
  for (let i = 0; i < k; i++) h[i * k + i] += damp * mean;
  // Upper factor U of H^-1 = U^T U, i.e. the transpose of the lower Cholesky factor.
  const lower = cholesky(inverseSpd(h, k), k);
  const u = (i: number, j: number) => lower[j * k + i];
  const work = Float64Array.from(w);
  const out = new Float32Array(w.length);
  const grids: Grid[] = new Array(n);
  for (let j = 0; j < k; j++) {
    if (j % BLOCK === 0) {
      const end = Math.min(j + BLOCK, k);
      for (let row = 0; row < n; row++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let c = j; c < end; c++) {
          lo = Math.min(lo, work[row * k + c]);
          hi = Math.max(hi, work[row * k + c]);
        }
        grids[row] = integerGrid(lo, hi, 4);
      }
    }
    const d = u(j, j);
    for (let row = 0; row < n; row++) {
      const g = grids[row];
      const v = work[row * k + j];
      const q = code(v, g) * g.scale + g.offset;
      out[row * k + j] = q;
      const e = (v - q) / d;
      for (let c = j + 1; c < k; c++) work[row * k + c] -= e * u(j, c);
    }
  }
  return out;
}
