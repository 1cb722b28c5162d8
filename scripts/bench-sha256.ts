/**
 * Speed of the streaming SHA-256 used to verify model downloads, against node:crypto, over 1 GiB fed in
 * 64 KiB chunks (like a network stream). 1 GiB also crosses 2^32 bits, which exercises the length's high word.
 * Usage: npx tsx scripts/bench-sha256.ts [MiB]
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '../src/lib/models/sha256';

const mib = Number(process.argv[2] ?? 1024);
const chunk = new Uint8Array(64 * 1024);
const ours = await Sha256.create();
const reference = createHash('sha256');
let oursMs = 0;
let referenceMs = 0;
for (let i = 0; i < mib * 16; i++) {
  chunk[0] = i & 0xff;
  chunk[1] = (i >> 8) & 0xff;
  let t = performance.now();
  ours.update(chunk);
  oursMs += performance.now() - t;
  t = performance.now();
  reference.update(chunk);
  referenceMs += performance.now() - t;
}
const same = ours.hex() === reference.digest('hex');
const rate = (ms: number) => (mib * 1.048576) / (ms / 1000);
console.log(
  JSON.stringify({ mib, digestsMatch: same, oursMBps: Math.round(rate(oursMs)), nodeCryptoMBps: Math.round(rate(referenceMs)) }),
);
if (!same) process.exit(1);
