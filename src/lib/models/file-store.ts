import type { Sha256State } from './sha256';

/**
 * Where model files live in the browser, one namespace per model id. Files are written by appending,
 * so a download interrupted at any point leaves a usable prefix. Beside each file the store keeps a
 * sidecar record of what has been verified; a file without a `verified` record is a partial (or
 * not yet checked) file and must never be served.
 */

/** Hash state of the first `state.length` bytes of a partial file, saved as the download goes. */
export type HashCheckpoint = Sha256State;

export interface FileRecord {
  /** Set only after the whole file was checked against the manifest. */
  verified?: { bytes: number; sha256: string };
  checkpoint?: HashCheckpoint;
}

export interface StoredFile {
  path: string;
  /** Bytes actually in the file now. */
  size: number;
  record: FileRecord;
}

export interface FileWriter {
  /** Bytes in the file: the next append goes here. */
  readonly size: number;
  append(chunk: Uint8Array): Promise<void>;
  /** Flushes what was appended and releases the file. Call it on success and on failure alike. */
  close(): Promise<void>;
}

export interface FileStore {
  /**
   * Opens a file for appending, creating it when missing. `truncate` starts it over empty. Opening a
   * file for writing drops its `verified` record first, so a file being written is never served.
   */
  openWriter(model: string, path: string, options?: { truncate?: boolean }): Promise<FileWriter>;
  /** The file's bytes as a Blob read lazily from storage, or null when there is no such file. */
  read(model: string, path: string): Promise<Blob | null>;
  stat(model: string, path: string): Promise<StoredFile | null>;
  setRecord(model: string, path: string, record: FileRecord): Promise<void>;
  list(model: string): Promise<StoredFile[]>;
  listModels(): Promise<string[]>;
  deleteFile(model: string, path: string): Promise<void>;
  deleteModel(model: string): Promise<void>;
}

/** A stored file that may be served for a manifest entry: verified against exactly these bytes and hash. */
export function isVerified(stored: StoredFile | null, expected: { bytes: number; sha256: string }): boolean {
  const verified = stored?.record.verified;
  return (
    !!stored &&
    !!verified &&
    stored.size === expected.bytes &&
    verified.bytes === expected.bytes &&
    verified.sha256 === expected.sha256.toLowerCase()
  );
}

/** Rejects model ids and file paths that could escape their namespace or are not valid file names. */
export function checkStoreName(model: string, path?: string): void {
  if (!/^[\w][\w.-]*$/.test(model) || model.includes('..')) {
    throw new Error(`Invalid model id "${model}": use letters, digits, "_", "-" and "." (as in the manifest's id).`);
  }
  if (path === undefined) return;
  const segments = path.split('/');
  if (path.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Invalid model file path "${path}": it must be relative, like "onnx/model_q4.onnx", without "." or ".." parts.`);
  }
}
