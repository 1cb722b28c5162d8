import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalLocation } from '../../src/lib/onnx/proto.ts';

/** transformers.js reads each chunk whole into one buffer; stay clear of 2 GB. */
export const MAX_CHUNK_BYTES = 1_900_000_000;
/** Offsets aligned so typed-array views over a chunk are always aligned. */
const ALIGN = 64;

export interface WrittenFile {
  /** File name relative to the directory written into. */
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * Appends tensors to `<base>_data`, `<base>_data_1`, ... (transformers.js's chunk names for `<base>`, e.g.
 * `model_q4.onnx`), never splitting a tensor, hashing as it writes so nothing is re-read.
 */
export class ExternalDataWriter {
  private fd = -1;
  private hash: Hash | null = null;
  private offset = 0;
  private current = '';
  readonly files: WrittenFile[] = [];

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly maxChunkBytes = MAX_CHUNK_BYTES,
  ) {}

  append(data: Uint8Array): ExternalLocation {
    if (data.byteLength > this.maxChunkBytes)
      throw new Error(`a single tensor of ${data.byteLength} bytes exceeds the ${this.maxChunkBytes}-byte chunk limit`);
    const pad = (ALIGN - (this.offset % ALIGN)) % ALIGN;
    if (this.fd < 0 || this.offset + pad + data.byteLength > this.maxChunkBytes) this.nextChunk();
    else if (pad) this.write(new Uint8Array(pad));
    const at = this.offset;
    this.write(data);
    return { location: this.current, offset: at, length: data.byteLength };
  }

  /** Closes the last chunk; returns the chunk files written. */
  finish(): WrittenFile[] {
    this.closeChunk();
    return this.files;
  }

  private write(b: Uint8Array): void {
    let done = 0;
    while (done < b.byteLength) done += writeSync(this.fd, b, done, b.byteLength - done);
    this.hash!.update(b);
    this.offset += b.byteLength;
  }

  private nextChunk(): void {
    this.closeChunk();
    const i = this.files.length;
    this.current = `${this.base}_data${i === 0 ? '' : `_${i}`}`;
    this.fd = openSync(join(this.dir, this.current), 'w');
    this.hash = createHash('sha256');
    this.offset = 0;
  }

  private closeChunk(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.files.push({ name: this.current, bytes: this.offset, sha256: this.hash!.digest('hex') });
    this.fd = -1;
    this.hash = null;
  }
}
