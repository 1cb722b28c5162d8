import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/lib/models/sha256';

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

const nodeHex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const webCryptoHex = async (data: Uint8Array) =>
  Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');

describe('Sha256', () => {
  it('matches the FIPS 180-2 examples', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect((await Sha256.create()).update(text('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect((await Sha256.create()).update(text('')).hex()).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect((await Sha256.create()).update(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).hex()).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with WebCrypto and node:crypto around every padding boundary', async () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 65_537]) {
      const data = bytes(length, length);
      const ours = (await Sha256.create()).update(data).hex();
      expect(ours, `length ${length}`).toBe(nodeHex(data));
      expect(ours, `length ${length}`).toBe(await webCryptoHex(data));
    }
  });

  it('gives the same digest however the input is split into updates', async () => {
    const data = bytes(10_000, 7);
    const expected = nodeHex(data);
    for (const step of [1, 3, 63, 64, 65, 777, 4096]) {
      const hash = (await Sha256.create());
      for (let i = 0; i < data.length; i += step) hash.update(data.subarray(i, i + step));
      expect(hash.hex(), `step ${step}`).toBe(expected);
    }
  });

  it('continues from a saved state (through JSON) mid-block as if never interrupted', async () => {
    const data = bytes(5_000, 11);
    for (const cut of [0, 1, 64, 100, 4_999]) {
      const first = (await Sha256.create()).update(data.subarray(0, cut));
      const saved = JSON.parse(JSON.stringify(first.saveState()));
      const resumed = (await Sha256.fromState(saved)).update(data.subarray(cut));
      expect(resumed.hex(), `cut ${cut}`).toBe(nodeHex(data));
      expect(resumed.bytesHashed).toBe(5_000);
    }
  });

  it('can report a digest and keep hashing', async () => {
    const data = bytes(300, 5);
    const hash = (await Sha256.create()).update(data.subarray(0, 100));
    expect(hash.hex()).toBe(nodeHex(data.subarray(0, 100)));
    hash.update(data.subarray(100));
    expect(hash.hex()).toBe(nodeHex(data));
  });

  it('hashes a few megabytes like node:crypto', async () => {
    const data = bytes(3_000_001, 99);
    expect((await Sha256.create()).update(data).hex()).toBe(nodeHex(data));
  });

  it('rejects a malformed saved state', async () => {
    // A checkpoint the former hand-written hasher saved, and a damaged one: the downloader then hashes the file again.
    await expect(Sha256.fromState({ h: [0, 0, 0, 0, 0, 0, 0, 0], length: 3, tail: 'ab' } as never)).rejects.toThrow(/not a hash-wasm/);
    await expect(Sha256.fromState({ length: 3, saved: 'xyz' })).rejects.toThrow(/not a hash-wasm/);
  });
});
