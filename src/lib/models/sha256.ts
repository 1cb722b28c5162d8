/**
 * Streaming SHA-256 (FIPS 180-4). WebCrypto only digests a whole buffer, which would mean holding a
 * 1.9 GB weight chunk in memory; this hashes as bytes arrive, and its state can be saved next to a
 * partial download so a resumed file continues hashing where it stopped.
 */

// First 32 bits of the fractional parts of the square roots of the first 8 primes.
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** A hash in progress, as plain JSON: the chaining value after `length` bytes, plus the bytes of an unfinished block. */
export interface Sha256State {
  h: number[];
  length: number;
  /** Hex of the `length % 64` bytes not yet compressed. */
  tail: string;
}

export class Sha256 {
  private readonly h = new Int32Array(INITIAL);
  private readonly w = new Int32Array(64);
  private readonly block = new Uint8Array(64);
  private blockLength = 0;
  private length = 0;

  static fromState(state: Sha256State): Sha256 {
    const tail = hexToBytes(state.tail);
    if (state.h.length !== 8 || tail.length !== state.length % 64 || !Number.isSafeInteger(state.length)) {
      throw new Error('Invalid SHA-256 state: expected 8 words and a tail of length % 64 bytes.');
    }
    const hash = new Sha256();
    hash.h.set(state.h);
    hash.block.set(tail);
    hash.blockLength = tail.length;
    hash.length = state.length;
    return hash;
  }

  /** Bytes hashed so far. */
  get bytesHashed(): number {
    return this.length;
  }

  update(data: Uint8Array): this {
    let offset = 0;
    this.length += data.length;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, data.length);
      this.block.set(data.subarray(0, take), this.blockLength);
      this.blockLength += take;
      offset = take;
      if (this.blockLength < 64) return this;
      this.compress(this.block, 0, 64);
      this.blockLength = 0;
    }
    const whole = offset + Math.floor((data.length - offset) / 64) * 64;
    if (whole > offset) this.compress(data, offset, whole);
    offset = whole;
    if (offset < data.length) {
      this.block.set(data.subarray(offset));
      this.blockLength = data.length - offset;
    }
    return this;
  }

  saveState(): Sha256State {
    return {
      h: Array.from(this.h),
      length: this.length,
      tail: bytesToHex(this.block.subarray(0, this.blockLength)),
    };
  }

  /** The digest of everything so far, as lowercase hex. The hash stays usable for more updates. */
  hex(): string {
    const final = Sha256.fromState(this.saveState());
    const padding = new Uint8Array(((final.blockLength < 56 ? 56 : 120) - final.blockLength) + 8);
    padding[0] = 0x80;
    const bitsHigh = Math.floor(this.length / 0x20000000);
    const bitsLow = (this.length % 0x20000000) * 8;
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, bitsHigh);
    view.setUint32(padding.length - 4, bitsLow);
    final.update(padding);
    let out = '';
    for (const word of final.h) out += (word >>> 0).toString(16).padStart(8, '0');
    return out;
  }

  /** Compresses the 64-byte blocks in bytes[from, to). */
  private compress(bytes: Uint8Array, from: number, to: number): void {
    const w = this.w;
    const h = this.h;
    let h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4], h5 = h[5], h6 = h[6], h7 = h[7];
    for (let at = from; at < to; at += 64) {
      for (let i = 0, j = at; i < 16; i++, j += 4) {
        w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
      }
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15];
        const y = w[i - 2];
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, k = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0;
      h1 = (h1 + b) | 0;
      h2 = (h2 + c) | 0;
      h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0;
      h5 = (h5 + f) | 0;
      h6 = (h6 + g) | 0;
      h7 = (h7 + k) | 0;
    }
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
  }
}

function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error(`Invalid hex string in SHA-256 state: "${hex}".`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
