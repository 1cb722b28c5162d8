import { closeSync, openSync, readSync } from 'node:fs';
import type { SourceDtype } from './dtype.ts';

/** One checkpoint tensor, located but not loaded. */
export interface TensorEntry {
  name: string;
  dtype: SourceDtype;
  shape: number[];
  /** The file it lives in (for messages). */
  file: string;
  /** Reads its raw little-endian bytes. */
  read(): Uint8Array;
}

export function readRange(file: string, offset: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`${file}: unexpected end of file reading ${length} bytes at ${offset}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return new Uint8Array(out.buffer, out.byteOffset, length);
}
