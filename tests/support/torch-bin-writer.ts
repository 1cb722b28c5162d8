/**
 * Writes `pytorch_model*.bin` files the way torch.save lays them out (a zip of stored entries: archive/data.pkl,
 * archive/data/<key>, archive/version, data aligned to 64 bytes through the local header's extra field), so the
 * converter's reader is tested on that layout without Python.
 */
import { writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export type StorageDtype = 'BF16' | 'F16' | 'F32';
const STORAGE_CLASS: Record<StorageDtype, string> = { BF16: 'BFloat16Storage', F16: 'HalfStorage', F32: 'FloatStorage' };

export interface BinTensor {
  name: string;
  shape: number[];
  /** Little-endian element bytes of `dtype`. */
  data: Uint8Array;
}

class PickleOut {
  private bytes: number[] = [];
  private memo = new Map<string, number>();
  op(...b: number[]) {
    this.bytes.push(...b);
  }
  u32(n: number) {
    this.op(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
  }
  int(n: number) {
    if (n < 256) this.op(0x4b, n);
    else if (n < 65536) this.op(0x4d, n & 255, n >> 8);
    else (this.op(0x4a), this.u32(n));
  }
  str(s: string) {
    const b = new TextEncoder().encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.op(...b);
  }
  /** GLOBAL, memoised like pickle does (BINPUT first time, BINGET after). */
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

/**
 * `storages` groups tensors: each group shares one storage (later tensors at a storage offset), as views of one
 * buffer do in a real state dict.
 */
export function writeTorchBin(file: string, dtype: StorageDtype, storages: BinTensor[][], archive = 'archive'): void {
  const elem = dtype === 'F32' ? 4 : 2;
  const p = new PickleOut();
  p.op(0x80, 2);
  p.global('collections', 'OrderedDict');
  p.op(0x29, 0x52); // OrderedDict()
  p.op(0x28); // MARK for SETITEMS
  const blobs: { name: string; data: Uint8Array }[] = [];
  storages.forEach((group, key) => {
    const total = group.reduce((a, t) => a + t.data.byteLength, 0);
    const storage = new Uint8Array(total);
    let offset = 0;
    for (const t of group) {
      storage.set(t.data, offset);
      p.str(t.name);
      p.global('torch._utils', '_rebuild_tensor_v2');
      p.op(0x28); // args
      p.op(0x28); // persistent id tuple
      p.str('storage');
      p.global('torch', STORAGE_CLASS[dtype]);
      p.str(String(key));
      p.str('cpu');
      p.int(total / elem);
      p.op(0x74, 0x51); // TUPLE, BINPERSID
      p.int(offset / elem);
      p.tuple(t.shape);
      const stride = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
      p.tuple(stride);
      p.op(0x89); // requires_grad False
      p.global('collections', 'OrderedDict');
      p.op(0x29, 0x52); // backward_hooks OrderedDict()
      p.op(0x74, 0x52); // TUPLE, REDUCE
      offset += t.data.byteLength;
    }
    blobs.push({ name: `${archive}/data/${key}`, data: storage });
  });
  p.op(0x75, 0x2e); // SETITEMS, STOP
  writeStoredZip(file, [{ name: `${archive}/data.pkl`, data: p.finish() }, ...blobs, { name: `${archive}/version`, data: new TextEncoder().encode('3\n') }]);
}

function writeStoredZip(file: string, entries: { name: string; data: Uint8Array }[]): void {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const crc = crc32(e.data);
    const pad = (64 - ((offset + 30 + name.length + 4) % 64)) % 64;
    const extra = new Uint8Array(4 + pad);
    new DataView(extra.buffer).setUint16(0, 0x4650, true); // torch's padding extra-field id ('FP')
    new DataView(extra.buffer).setUint16(2, pad, true);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, e.data.byteLength, true);
    local.setUint32(22, e.data.byteLength, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, extra.length, true);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, e.data.byteLength, true);
    cd.setUint32(24, e.data.byteLength, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), name);
    parts.push(new Uint8Array(local.buffer), name, extra, e.data);
    offset += 30 + name.length + extra.length + e.data.byteLength;
  }
  const cdSize = central.reduce((a, b) => a + b.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  writeFileSync(file, Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]));
}
