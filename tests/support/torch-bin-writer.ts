/**
 * Writes `pytorch_model*.bin` files the way torch.save lays them out (a zip of stored entries: archive/data.pkl,
 * archive/data/<key>, archive/version; data aligned to 64 bytes through a padding extra field; ZIP64 records past
 * 4 GB), so the converter's reader is tested on that layout without Python. Streams: each storage is written as
 * it is added (the full-size benchmark writes 13.5 GB through it).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export type StorageDtype = 'BF16' | 'F16' | 'F32';
const STORAGE_CLASS: Record<StorageDtype, string> = { BF16: 'BFloat16Storage', F16: 'HalfStorage', F32: 'FloatStorage' };
const U32_MAX = 0xffffffff;

export interface BinTensor {
  name: string;
  shape: number[];
  /** Little-endian element bytes of the file's dtype. */
  data: Uint8Array;
}

class PickleOut {
  private bytes: number[] = [];
  private memo = new Map<string, number>();
  op(...b: number[]) {
    for (const x of b) this.bytes.push(x);
  }
  u32(n: number) {
    this.op(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
  }
  int(n: number) {
    if (n < 256) this.op(0x4b, n);
    else if (n < 65536) this.op(0x4d, n & 255, n >> 8);
    else if (n < 2 ** 31) (this.op(0x4a), this.u32(n));
    else {
      // LONG1, 8 bytes little-endian
      this.op(0x8a, 8);
      let v = BigInt(n);
      for (let i = 0; i < 8; i++, v >>= 8n) this.op(Number(v & 255n));
    }
  }
  str(s: string) {
    const b = new TextEncoder().encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.op(...b);
  }
  /** GLOBAL, memoised like pickle does (BINPUT the first time, BINGET after). */
  global(module: string, name: string) {
    const key = `${module}.${name}`;
    const m = this.memo.get(key);
    if (m !== undefined) return this.op(0x68, m);
    this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
    const id = this.memo.size;
    this.memo.set(key, id);
    this.op(0x71, id);
  }
  tuple(items: number[]) {
    if (items.length === 0) return this.op(0x29);
    this.op(0x28);
    for (const i of items) this.int(i);
    this.op(0x74);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

interface CentralRecord {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
}

export class TorchBinWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  private readonly pickle = new PickleOut();
  private storages = 0;
  private readonly elem: number;

  constructor(
    file: string,
    private readonly dtype: StorageDtype,
    private readonly archive = 'archive',
    /** Use ZIP64 records even when nothing needs them (to test that path on small files). */
    private readonly forceZip64 = false,
  ) {
    this.fd = openSync(file, 'w');
    this.elem = dtype === 'F32' ? 4 : 2;
    this.pickle.op(0x80, 2);
    this.pickle.global('collections', 'OrderedDict');
    this.pickle.op(0x29, 0x52, 0x28); // OrderedDict(), MARK for SETITEMS
  }

  /** Adds tensors that share one storage (views of one buffer), in order. */
  addStorage(tensors: BinTensor[]): void {
    const key = String(this.storages++);
    const total = tensors.reduce((a, t) => a + t.data.byteLength, 0);
    let crc = 0;
    for (const t of tensors) crc = crc32(t.data, crc);
    let offset = 0;
    const p = this.pickle;
    for (const t of tensors) {
      p.str(t.name);
      p.global('torch._utils', '_rebuild_tensor_v2');
      p.op(0x28, 0x28); // MARK args, MARK persistent id
      p.str('storage');
      p.global('torch', STORAGE_CLASS[this.dtype]);
      p.str(key);
      p.str('cpu');
      p.int(total / this.elem);
      p.op(0x74, 0x51); // TUPLE, BINPERSID
      p.int(offset / this.elem);
      p.tuple(t.shape);
      p.tuple(t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1)));
      p.op(0x89); // requires_grad False
      p.global('collections', 'OrderedDict');
      p.op(0x29, 0x52, 0x74, 0x52); // OrderedDict(), TUPLE, REDUCE
      offset += t.data.byteLength;
    }
    this.entry(`${this.archive}/data/${key}`, total, crc, tensors.map((t) => t.data));
  }

  close(): void {
    this.pickle.op(0x75, 0x2e); // SETITEMS, STOP
    const pkl = this.pickle.finish();
    this.entry(`${this.archive}/data.pkl`, pkl.byteLength, crc32(pkl), [pkl]);
    const version = new TextEncoder().encode('3\n');
    this.entry(`${this.archive}/version`, version.byteLength, crc32(version), [version]);
    const cdStart = this.offset;
    for (const r of this.central) {
      const big = this.forceZip64 || r.size >= U32_MAX || r.offset >= U32_MAX;
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(45, 4);
      cd.writeUInt16LE(45, 6);
      cd.writeUInt32LE(r.crc, 16);
      cd.writeUInt32LE(big ? U32_MAX : r.size, 20);
      cd.writeUInt32LE(big ? U32_MAX : r.size, 24);
      cd.writeUInt16LE(r.name.length, 28);
      cd.writeUInt16LE(big ? 28 : 0, 30);
      cd.writeUInt32LE(big ? U32_MAX : r.offset, 42);
      this.write(cd, r.name);
      if (big) {
        const x = Buffer.alloc(28);
        x.writeUInt16LE(0x0001, 0);
        x.writeUInt16LE(24, 2);
        x.writeBigUInt64LE(BigInt(r.size), 4);
        x.writeBigUInt64LE(BigInt(r.size), 12);
        x.writeBigUInt64LE(BigInt(r.offset), 20);
        this.write(x);
      }
    }
    const cdSize = this.offset - cdStart;
    const n = this.central.length;
    if (this.forceZip64 || cdStart >= U32_MAX || this.central.some((r) => r.size >= U32_MAX || r.offset >= U32_MAX)) {
      const z64At = this.offset;
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(0x06064b50, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE(45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeBigUInt64LE(BigInt(n), 24);
      rec.writeBigUInt64LE(BigInt(n), 32);
      rec.writeBigUInt64LE(BigInt(cdSize), 40);
      rec.writeBigUInt64LE(BigInt(cdStart), 48);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(0x07064b50, 0);
      loc.writeBigUInt64LE(BigInt(z64At), 8);
      loc.writeUInt32LE(1, 16);
      this.write(rec, loc);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(n, 0xffff), 8);
    end.writeUInt16LE(Math.min(n, 0xffff), 10);
    end.writeUInt32LE(Math.min(cdSize, U32_MAX), 12);
    end.writeUInt32LE(Math.min(cdStart, U32_MAX), 16);
    this.write(end);
    closeSync(this.fd);
  }

  private entry(name: string, size: number, crc: number, chunks: Uint8Array[]): void {
    const nameBytes = new TextEncoder().encode(name);
    const big = size >= U32_MAX;
    const z64Len = big ? 20 : 0;
    const pad = (64 - ((this.offset + 30 + nameBytes.length + z64Len + 4) % 64)) % 64;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(big ? U32_MAX : size, 18);
    local.writeUInt32LE(big ? U32_MAX : size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(z64Len + 4 + pad, 28);
    const extra = Buffer.alloc(z64Len + 4 + pad);
    if (big) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(size), 12);
    }
    extra.writeUInt16LE(0x4650, z64Len); // torch's alignment padding field ('FP')
    extra.writeUInt16LE(pad, z64Len + 2);
    this.central.push({ name: nameBytes, crc, size, offset: this.offset });
    this.write(local, nameBytes, extra, ...chunks);
  }

  private write(...parts: Uint8Array[]): void {
    for (const b of parts) {
      let done = 0;
      while (done < b.byteLength) done += writeSync(this.fd, b, done, b.byteLength - done);
      this.offset += b.byteLength;
    }
  }
}
