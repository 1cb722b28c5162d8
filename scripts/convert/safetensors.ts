import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { SourceDtype } from './dtype.ts';
import type { TensorEntry } from './tensor-entry.ts';
import { readRange } from './tensor-entry.ts';

const DTYPES: Record<string, SourceDtype> = { BF16: 'BF16', F16: 'F16', F32: 'F32' };

/** Lists the tensors of one `.safetensors` file (header only; data is read on demand). */
export function readSafetensorsIndex(file: string): TensorEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const lenBuf = Buffer.alloc(8);
    if (size < 8 || readSync(fd, lenBuf, 0, 8, 0) !== 8) throw new Error(`${file}: too short to be a safetensors file`);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen <= 0 || 8 + headerLen > size) throw new Error(`${file}: not a safetensors file (header length ${headerLen})`);
    const headerBuf = Buffer.alloc(headerLen);
    readSync(fd, headerBuf, 0, headerLen, 8);
    let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch {
      throw new Error(`${file}: safetensors header is not valid JSON`);
    }
    const entries: TensorEntry[] = [];
    for (const [name, info] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const dtype = DTYPES[info.dtype];
      if (!dtype) throw new Error(`${file}: tensor ${name} has dtype ${info.dtype}; only BF16, F16 and F32 are supported`);
      const [start, end] = info.data_offsets;
      const offset = 8 + headerLen + start;
      const byteLength = end - start;
      if (offset + byteLength > size) throw new Error(`${file}: tensor ${name} lies beyond the end of the file (truncated?)`);
      entries.push({
        name,
        dtype,
        shape: info.shape,
        file: basename(file),
        read: () => readRange(file, offset, byteLength),
      });
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}
