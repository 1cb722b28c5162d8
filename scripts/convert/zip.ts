/**
 * Reads the central directory of a zip archive (with ZIP64, since PyTorch shards exceed 4 GB) and locates
 * entries stored without compression, which is how torch.save writes its archives.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ZipEntry {
  name: string;
  /** 0 = stored. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = readSync(fd, b, 0, length, offset);
  return b.subarray(0, n);
}

export function readZipDirectory(file: string): ZipEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, 65_557);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file}: not a zip archive (no end-of-central-directory record)`);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const locator = eocd - 20;
    if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
      const z64Offset = Number(tail.readBigUInt64LE(locator + 8));
      const rec = readAt(fd, z64Offset, 56);
      if (rec.readUInt32LE(0) !== 0x06064b50) throw new Error(`${file}: damaged ZIP64 end-of-central-directory record`);
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: damaged zip central directory (entry ${i})`);
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // ZIP64 extended information: the 64-bit values, in this order, for the fields saturated at 0xffffffff.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressed === 0xffffffff) (uncompressed = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      entries.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset });
      p = extraEnd + commentLen;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Byte offset of a stored entry's data in the archive. */
export function storedEntryDataOffset(file: string, entry: ZipEntry): number {
  if (entry.method !== 0)
    throw new Error(`${file}: entry ${entry.name} is compressed (method ${entry.method}); only stored entries, as torch.save writes, are supported`);
  const fd = openSync(file, 'r');
  try {
    const h = readAt(fd, entry.localHeaderOffset, 30);
    if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) throw new Error(`${file}: damaged local header for ${entry.name}`);
    return entry.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  } finally {
    closeSync(fd);
  }
}
