import { roundToFloat16 } from './dtype.ts';

export const BLOCK_SIZE = 32;

/**
 * A [N, K] weight (HF linear layout: out x in) quantised to 4 bits per value in blocks of 32 along K, asymmetric
 * (scale + 4-bit zero point per block), laid out as onnxruntime's MatMulNBits expects:
 * packed [N, kBlocks, 16] (low nibble first), scales [N * kBlocks], zero points [N * ceil(kBlocks / 2)].
 * Symmetric blocks have no zero points (empty `zeroPoints`): MatMulNBits then takes 2^(bits-1) for every block.
 * Scales are rounded to fp16 so one quantisation serves both the fp16 and fp32 activation graphs.
 */
export interface Quantized4 {
  bits: QuantBits;
  n: number;
  k: number;
  kBlocks: number;
  packed: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array;
}

export type QuantBits = 4 | 8;

export function quantize4(w: Float32Array, n: number, k: number, symmetric = false): Quantized4 {
  return quantizeBlocks(w, n, k, 4, symmetric);
}

/**
 * The same blocks with 4- or 8-bit codes. 8 bits (`--q8`): one code per byte, packed [N, kBlocks, 32], one zero
 * point byte per block [N * kBlocks], as MatMulNBits with `bits: 8` reads them.
 * `symmetric`: the zero point is fixed at 2^(bits-1) and the scale maps the block's largest magnitude onto the
 * code range's far end (-2^(bits-1) steps, as onnxruntime's own quantiser does), so no zero points are stored.
 */
export function quantizeBlocks(w: Float32Array, n: number, k: number, bits: QuantBits, symmetric = false): Quantized4 {
  if (w.length !== n * k) throw new Error(`quantize${bits}: ${w.length} values for a [${n}, ${k}] matrix`);
  const kBlocks = Math.ceil(k / BLOCK_SIZE);
  const levels = (1 << bits) - 1;
  const blob = (BLOCK_SIZE * bits) / 8;
  const zpRow = bits === 8 ? kBlocks : Math.ceil(kBlocks / 2);
  const packed = new Uint8Array(n * kBlocks * blob);
  const scales = new Float32Array(n * kBlocks);
  const zeroPoints = new Uint8Array(symmetric ? 0 : n * zpRow);
  const mid = 1 << (bits - 1);
  for (let row = 0; row < n; row++) {
    const rowBase = row * k;
    for (let b = 0; b < kBlocks; b++) {
      const start = b * BLOCK_SIZE;
      const end = Math.min(start + BLOCK_SIZE, k);
      // The range always includes 0 so that 0 (and the padding past K) is exactly representable.
      let lo = 0;
      let hi = 0;
      for (let i = rowBase + start; i < rowBase + end; i++) {
        const v = w[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      // Symmetric: the extreme value (either sign) lands exactly on code 0, i.e. -mid steps, with a signed scale.
      let scale = roundToFloat16(symmetric ? (-lo >= hi ? lo : hi) / -mid : (hi - lo) / levels);
      if (!(scale !== 0 && Number.isFinite(scale))) scale = 1;
      const zp = symmetric ? mid : Math.min(levels, Math.max(0, Math.round(-lo / scale)));
      const inv = 1 / scale;
      const base = rowBase + start;
      const len = end - start;
      const out = (row * kBlocks + b) * blob;
      scales[row * kBlocks + b] = scale;
      if (bits === 8) {
        for (let j = 0; j < BLOCK_SIZE; j++) {
          let a = zp;
          if (j < len) {
            a = (w[base + j] * inv + zp + 0.5) | 0;
            a = a < 0 ? 0 : a > 255 ? 255 : a;
          }
          packed[out + j] = a;
        }
        if (!symmetric) zeroPoints[row * zpRow + b] = zp;
        continue;
      }
      // Codes, two per byte (low nibble first); positions past K (a ragged last block) get the zero point.
      for (let j = 0; j < BLOCK_SIZE; j += 2) {
        let a = zp;
        let c = zp;
        // floor(x + 0.5) as Math.round does; truncation only differs below 0, which clamps to 0 anyway.
        if (j < len) {
          a = (w[base + j] * inv + zp + 0.5) | 0;
          a = a < 0 ? 0 : a > 15 ? 15 : a;
        }
        if (j + 1 < len) {
          c = (w[base + j + 1] * inv + zp + 0.5) | 0;
          c = c < 0 ? 0 : c > 15 ? 15 : c;
        }
        packed[out + (j >> 1)] = a | (c << 4);
      }
      if (!symmetric) zeroPoints[row * zpRow + (b >> 1)] |= b & 1 ? zp << 4 : zp;
    }
  }
  return { bits, n, k, kBlocks, packed, scales, zeroPoints };
}

/** Back to fp32 [N, K], for tests and error measurement. */
export function dequantize4(qt: Quantized4): Float32Array {
  const { n, k, kBlocks, packed, scales, zeroPoints } = qt;
  const out = new Float32Array(n * k);
  const zpRow = Math.ceil(kBlocks / 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < k; col++) {
      const b = Math.floor(col / BLOCK_SIZE);
      const j = col % BLOCK_SIZE;
      const byte = packed[(row * kBlocks + b) * (BLOCK_SIZE / 2) + (j >> 1)];
      const qv = j & 1 ? byte >> 4 : byte & 15;
      const zb = zeroPoints.length ? zeroPoints[row * zpRow + (b >> 1)] : 0x88;
      const zp = b & 1 ? zb >> 4 : zb & 15;
      out[row * k + col] = (qv - zp) * scales[row * kBlocks + b];
    }
  }
  return out;
}
