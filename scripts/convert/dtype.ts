/** Decoding checkpoint tensors to fp32 and encoding fp32 to fp16, without intermediate copies beyond the output. */

export type SourceDtype = 'BF16' | 'F16' | 'F32';

export const SOURCE_DTYPE_BYTES: Record<SourceDtype, number> = { BF16: 2, F16: 2, F32: 4 };

/** Little-endian raw bytes of `dtype` to a fresh Float32Array. */
export function decodeToFloat32(raw: Uint8Array, dtype: SourceDtype): Float32Array {
  const n = raw.byteLength / SOURCE_DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const src = raw.byteOffset % 2 === 0 ? new Uint16Array(raw.buffer, raw.byteOffset, n) : new Uint16Array(raw.slice().buffer);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = float16BitsToFloat32(src[i]);
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float16BitsToFloat32(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return (h & 0x8000 ? -frac : frac) * 2 ** -24;
  u32[0] = ((h & 0x8000) << 16) | (exp === 31 ? 0x7f800000 | (frac << 13) : ((exp + 112) << 23) | (frac << 13));
  return f32[0];
}

/** fp32 -> fp16 bits with round-to-nearest-even; overflow saturates to infinity as IEEE does. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let r = mant >>> shift;
    if (rest > half || (rest === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && r & 1)) r++;
  return sign | r;
}

export function float32ToFloat16Array(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = float32ToFloat16Bits(src[i]);
  return out;
}

/** The value fp16 storage would give back. */
export function roundToFloat16(value: number): number {
  return float16BitsToFloat32(float32ToFloat16Bits(value));
}
