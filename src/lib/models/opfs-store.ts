import { checkStoreName, type FileRecord, type FileStore, type FileWriter, type StoredFile } from './file-store';

/**
 * FileStore on the Origin Private File System. Layout under the OPFS root:
 *   models/<model id>/data/<encodeURIComponent(path)>   the file's bytes
 *   models/<model id>/meta/<encodeURIComponent(path)>   its FileRecord as JSON
 * Paths are flattened so `onnx/model_q4.onnx` needs no subdirectories. In a dedicated worker writes go
 * through a FileSystemSyncAccessHandle (fast, in place); elsewhere through createWritable.
 */
export class OpfsFileStore implements FileStore {
  constructor(private readonly rootName = 'models') {}

  static isAvailable(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
  }

  async openWriter(model: string, path: string, options: { truncate?: boolean } = {}): Promise<FileWriter> {
    checkStoreName(model, path);
    const record = await this.readRecord(model, path);
    if (options.truncate || record.verified) {
      await this.writeRecord(model, path, options.truncate ? {} : { checkpoint: record.checkpoint });
    }
    const handle = await this.fileHandle(model, 'data', path, true);
    if (!handle) throw new Error(`Could not create ${model}/${path} in the origin private file system.`);
    return 'createSyncAccessHandle' in handle
      ? syncWriter(await handle.createSyncAccessHandle(), !!options.truncate)
      : streamWriter(handle, !!options.truncate);
  }

  async read(model: string, path: string): Promise<Blob | null> {
    checkStoreName(model, path);
    const handle = await this.fileHandle(model, 'data', path, false);
    return handle ? handle.getFile() : null;
  }

  async stat(model: string, path: string): Promise<StoredFile | null> {
    const blob = await this.read(model, path);
    return blob ? { path, size: blob.size, record: await this.readRecord(model, path) } : null;
  }

  async setRecord(model: string, path: string, record: FileRecord): Promise<void> {
    checkStoreName(model, path);
    if (!(await this.fileHandle(model, 'data', path, false))) {
      throw new Error(`Cannot record ${model}/${path}: the file is not in the store.`);
    }
    await this.writeRecord(model, path, record);
  }

  async list(model: string): Promise<StoredFile[]> {
    checkStoreName(model);
    const data = await this.dir(model, 'data', false);
    if (!data) return [];
    const files: StoredFile[] = [];
    for await (const [name, handle] of entries(data)) {
      if (handle.kind !== 'file') continue;
      const path = decodeURIComponent(name);
      const file = await (handle as FileSystemFileHandle).getFile();
      files.push({ path, size: file.size, record: await this.readRecord(model, path) });
    }
    return files;
  }

  async listModels(): Promise<string[]> {
    const root = await this.root();
    const models: string[] = [];
    for await (const [name, handle] of entries(root)) if (handle.kind === 'directory') models.push(name);
    return models;
  }

  async deleteFile(model: string, path: string): Promise<void> {
    checkStoreName(model, path);
    for (const kind of ['meta', 'data'] as const) {
      const dir = await this.dir(model, kind, false);
      await ignoreNotFound(dir?.removeEntry(encodeURIComponent(path)));
    }
  }

  async deleteModel(model: string): Promise<void> {
    checkStoreName(model);
    await ignoreNotFound((await this.root()).removeEntry(model, { recursive: true }));
  }

  private async root(): Promise<FileSystemDirectoryHandle> {
    const opfs = await navigator.storage.getDirectory();
    return opfs.getDirectoryHandle(this.rootName, { create: true });
  }

  private async dir(model: string, kind: 'data' | 'meta', create: boolean): Promise<FileSystemDirectoryHandle | null> {
    try {
      const modelDir = await (await this.root()).getDirectoryHandle(model, { create });
      return await modelDir.getDirectoryHandle(kind, { create });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private async fileHandle(
    model: string,
    kind: 'data' | 'meta',
    path: string,
    create: boolean,
  ): Promise<FileSystemFileHandle | null> {
    const dir = await this.dir(model, kind, create);
    if (!dir) return null;
    try {
      return await dir.getFileHandle(encodeURIComponent(path), { create });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** An unreadable sidecar counts as "nothing verified", which only ever costs a re-check. */
  private async readRecord(model: string, path: string): Promise<FileRecord> {
    const handle = await this.fileHandle(model, 'meta', path, false);
    if (!handle) return {};
    try {
      return JSON.parse(await (await handle.getFile()).text()) as FileRecord;
    } catch {
      return {};
    }
  }

  private async writeRecord(model: string, path: string, record: FileRecord): Promise<void> {
    const handle = await this.fileHandle(model, 'meta', path, true);
    if (!handle) throw new Error(`Could not create the record of ${model}/${path}.`);
    const bytes = new TextEncoder().encode(JSON.stringify(record));
    const writer = 'createSyncAccessHandle' in handle
      ? syncWriter(await handle.createSyncAccessHandle(), true)
      : await streamWriter(handle, true);
    try {
      await writer.append(bytes);
    } finally {
      await writer.close();
    }
  }
}

function syncWriter(access: FileSystemSyncAccessHandle, truncate: boolean): FileWriter {
  if (truncate) access.truncate(0);
  let size = access.getSize();
  return {
    get size() {
      return size;
    },
    // A refused write must leave the file as it was: the downloader's hash state covers exactly `size` bytes, so a
    // partial chunk is cut off again. A refusal is a QuotaExceededError, whether the browser throws one or (as some
    // Chromium versions do) returns a count that is not the chunk's length, e.g. 2^32 - 8 for an error code.
    async append(chunk) {
      let written: number;
      try {
        written = access.write(chunk, { at: size });
      } catch (error) {
        restore(access, size);
        throw error;
      }
      if (written === chunk.length) {
        size += written;
        return;
      }
      restore(access, size);
      throw new DOMException(`Storage refused a write of ${chunk.length} bytes at ${size}: the quota or the disk is full.`, 'QuotaExceededError');
    },
    async close() {
      try {
        access.flush();
      } finally {
        access.close();
      }
    },
  };
}

/** Cuts a file back to `size` after a refused write (shrinking needs no quota). */
function restore(access: FileSystemSyncAccessHandle, size: number): void {
  if (access.getSize() !== size) access.truncate(size);
}

async function streamWriter(handle: FileSystemFileHandle, truncate: boolean): Promise<FileWriter> {
  let size = truncate ? 0 : (await handle.getFile()).size;
  const writable = await handle.createWritable({ keepExistingData: !truncate });
  await writable.seek(size);
  return {
    get size() {
      return size;
    },
    async append(chunk) {
      await writable.write(chunk as Uint8Array<ArrayBuffer>);
      size += chunk.length;
    },
    // Closing commits the appended bytes; until then they are invisible, so a crash loses only those.
    close: () => writable.close(),
  };
}

function entries(dir: FileSystemDirectoryHandle): AsyncIterable<[string, FileSystemHandle]> {
  return dir as unknown as AsyncIterable<[string, FileSystemHandle]>;
}

function isNotFound(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');
}

async function ignoreNotFound(removal: Promise<void> | undefined): Promise<void> {
  try {
    await removal;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
