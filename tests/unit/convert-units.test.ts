/** Pure pieces of the converter: fp16 rounding, the 4-bit quantiser's error bound and layout, CLI arguments. */
import { describe, expect, it } from 'vitest';
import { parseConvertArgs } from '../../scripts/convert/cli-args.ts';
import { decodeToFloat32, float16BitsToFloat32, float32ToFloat16Bits } from '../../scripts/convert/dtype.ts';
import { dequantize4, quantize4 } from '../../scripts/convert/quantize.ts';

describe('fp16 / bf16', () => {
  it('encodes fp16 with round-to-nearest-even, subnormals and overflow', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up past the largest finite value
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(float16BitsToFloat32(0x3555)).toBeCloseTo(0.33325, 5);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
  });

  it('decodes bf16 and fp16 little-endian bytes', () => {
    const bf16 = new Uint8Array([0x80, 0x3f, 0x00, 0xc0]); // 1.0, -2.0
    expect(Array.from(decodeToFloat32(bf16, 'BF16'))).toEqual([1, -2]);
    const f16 = new Uint8Array([0x00, 0x3c, 0x00, 0xb8]); // 1.0, -0.5
    expect(Array.from(decodeToFloat32(f16, 'F16'))).toEqual([1, -0.5]);
  });
});

describe('4-bit quantiser (MatMulNBits layout)', () => {
  it('keeps every value within half a step of its block, including a ragged last block (K = 80)', () => {
    const n = 3;
    const k = 80;
    const w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i * 12.9898) * 0.3 + (i % 7) * 0.01);
    const q = quantize4(w, n, k);
    expect(q.kBlocks).toBe(3);
    expect(q.packed.length).toBe(n * 3 * 16);
    expect(q.scales.length).toBe(n * 3);
    expect(q.zeroPoints.length).toBe(n * 2);
    const back = dequantize4(q);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < k; c++) {
        const step = q.scales[r * 3 + Math.floor(c / 32)];
        expect(Math.abs(back[r * k + c] - w[r * k + c])).toBeLessThanOrEqual(step / 2 + 1e-7);
      }
  });

  it('packs the low nibble first and represents zero exactly', () => {
    // One block: 0, 15 steps, then zeros; range [0, 1.5] -> scale 0.1, zero point 0.
    const w = new Float32Array(32);
    w[1] = 1.5;
    const q = quantize4(w, 1, 32);
    expect(q.zeroPoints[0] & 15).toBe(0);
    expect(q.packed[0]).toBe(0xf0);
    expect(Array.from(dequantize4(q)).filter((v, i) => i !== 1 && v !== 0)).toEqual([]);
  });
});

describe('symmetric 4-bit blocks (gate and up: no zero points, for onnxruntime\'s MatMulNBitsMlp fusion)', () => {
  it('store no zero points, hit each block\'s largest magnitude exactly and keep the rest within half a step', () => {
    const n = 2;
    const k = 64;
    const w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i * 78.233) * 0.2);
    w[5] = -0.5; // block (0, 0): a negative extreme
    w[100] = 0.4; // block (1, 1): a positive extreme
    const q = quantize4(w, n, k, true);
    expect(q.zeroPoints.length).toBe(0);
    const back = dequantize4(q);
    expect(back[5]).toBeCloseTo(-0.5, 3);
    expect(back[100]).toBeCloseTo(0.4, 3);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < k; c++) {
        const step = Math.abs(q.scales[r * 2 + Math.floor(c / 32)]);
        const v = w[r * k + c];
        // Code 16 does not exist: a value within half a step of the far end's opposite rounds to 15 (one step off).
        const bound = Math.abs(v) > 7.5 * step ? step : step / 2;
        expect(Math.abs(back[r * k + c] - v)).toBeLessThanOrEqual(bound + 1e-7);
      }
  });
});

describe('convert CLI arguments', () => {
  it('defaults to q4f16,q4 and auto template; accepts --dtype and --chat-template', () => {
    expect(parseConvertArgs(['ckpt', 'out'])).toMatchObject({ checkpointDir: 'ckpt', outDir: 'out', dtypes: ['q4f16', 'q4'], chatTemplate: 'auto' });
    expect(parseConvertArgs(['ckpt', 'out', '--dtype', 'fp32,q4', '--chat-template=agent-flan'])).toMatchObject({ dtypes: ['fp32', 'q4'], chatTemplate: 'agent-flan' });
  });

  it('refuses unknown dtypes, options and missing arguments with the usage', () => {
    expect(() => parseConvertArgs(['a', 'b', '--dtype', 'q8'])).toThrow(/--dtype: unknown q8/);
    expect(() => parseConvertArgs(['a', 'b', '--fast'])).toThrow(/unknown option --fast[\s\S]*usage/);
    expect(() => parseConvertArgs(['a'])).toThrow(/expected a checkpoint directory and an output directory/);
    expect(() => parseConvertArgs(['a', 'b', '--chat-template', 'chatml'])).toThrow(/"chatml" is not one of/);
  });
});
