import { checkStoreName, type FileRecord, type FileStore, type FileWriter, type StoredFile } from './file-store';

interface MemoryFile {
  chunks: Uint8Array[];
  size: number;
  record: FileRecord;
}

/** A FileStore in memory: what the Node tests of the downloader and the transformers.js cache adapter run on. */
export class MemoryFileStore implements FileStore {
  private readonly models = new Map<string, Map<string, MemoryFile>>();

  async openWriter(model: string, path: string, options: { truncate?: boolean } = {}): Promise<FileWriter> {
    checkStoreName(model, path);
    let files = this.models.get(model);
    if (!files) this.models.set(model, (files = new Map()));
    let file = files.get(path);
    if (!file || options.truncate) files.set(path, (file = { chunks: [], size: 0, record: {} }));
    delete file.record.verified;
    const target = file;
    return {
      get size() {
        return target.size;
      },
      async append(chunk) {
        target.chunks.push(chunk.slice());
        target.size += chunk.length;
      },
      async close() {},
    };
  }

  async read(model: string, path: string): Promise<Blob | null> {
    checkStoreName(model, path);
    const file = this.models.get(model)?.get(path);
    return file ? new Blob(file.chunks as BlobPart[]) : null;
  }

  async stat(model: string, path: string): Promise<StoredFile | null> {
    checkStoreName(model, path);
    const file = this.models.get(model)?.get(path);
    return file ? { path, size: file.size, record: structuredClone(file.record) } : null;
  }

  async setRecord(model: string, path: string, record: FileRecord): Promise<void> {
    checkStoreName(model, path);
    const file = this.models.get(model)?.get(path);
    if (!file) throw new Error(`Cannot record ${model}/${path}: the file is not in the store.`);
    file.record = structuredClone(record);
  }

  async list(model: string): Promise<StoredFile[]> {
    checkStoreName(model);
    const files = this.models.get(model) ?? new Map<string, MemoryFile>();
    return [...files].map(([path, f]) => ({ path, size: f.size, record: structuredClone(f.record) }));
  }

  async listModels(): Promise<string[]> {
    return [...this.models.keys()];
  }

  async deleteFile(model: string, path: string): Promise<void> {
    checkStoreName(model, path);
    this.models.get(model)?.delete(path);
  }

  async deleteModel(model: string): Promise<void> {
    checkStoreName(model);
    this.models.delete(model);
  }
}
