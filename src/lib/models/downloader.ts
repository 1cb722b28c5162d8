import {
  DownloadAbortedError,
  ModelDownloadFailedError,
  ModelFileCorruptError,
  ModelFileMissingError,
  StorageQuotaError,
} from './errors';
import { isVerified, type FileStore, type StoredFile } from './file-store';
import { planResponse } from './http-range';
import { withModelLock, type LockManagerLike } from './model-lock';
import type { ManifestFile, ModelDtype, ModelManifest } from './manifest';
import { fileUrl, neededFiles } from './manifest-files';
import { SpeedMeter, secondsLeft, type DownloadProgress, type FileStatus } from './progress';
import { Sha256 } from './sha256';
import { browserStorage, type StorageManagerLike } from './storage';

export interface RetryOptions {
  /** Failed attempts in a row that take a file no further than before, allowed per file before giving up. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface EnsureModelFilesOptions {
  /** The model directory's URL: file `p` is fetched from `${baseUrl}/${p}`. */
  baseUrl: string;
  manifest: ModelManifest;
  dtype: ModelDtype;
  store: FileStore;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  /** Defaults to `navigator.locks`; null runs without a lock. */
  locks?: LockManagerLike | null;
  /** Defaults to `navigator.storage`; null skips the up-front space check. */
  storage?: Pick<StorageManagerLike, 'estimate'> | null;
  retry?: RetryOptions;
  /** Milliseconds between progress events while bytes flow (file starts and ends are always reported). */
  progressIntervalMs?: number;
  /** Save the hash state every this many bytes, so a resume rarely rehashes much. */
  checkpointBytes?: number;
  now?: () => number;
  /**
   * Called under the model's lock once the up-front space check has passed, before any file is checked
   * or fetched: where the caller stores what belongs with the files (the manifest), so a download refused
   * before it starts leaves nothing in the store.
   */
  onStart?: () => Promise<void>;
}

export type FileOutcome = 'stored' | 'downloaded' | 'resumed';

export interface EnsureResult {
  files: { path: string; bytes: number; outcome: FileOutcome }[];
  /** Bytes received over the network in this call. */
  networkBytes: number;
}

/**
 * Makes sure every file the dtype needs is in the store, complete and verified against the manifest.
 * Verified files cost no request; partial files resume with a Range request; everything received is
 * hashed as it streams in, and a file whose size or SHA-256 is wrong is deleted, never marked good.
 */
export async function ensureModelFiles(options: EnsureModelFilesOptions): Promise<EnsureResult> {
  try {
    return await withModelLock(options.manifest.id, () => ensureUnlocked(options), options);
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof DownloadAbortedError)) throw new DownloadAbortedError();
    throw error;
  }
}

async function ensureUnlocked(options: EnsureModelFilesOptions): Promise<EnsureResult> {
  const { manifest, store, signal } = options;
  const files = neededFiles(manifest, options.dtype);
  const stats = new Map<string, StoredFile | null>();
  for (const file of files) {
    let stored = await store.stat(manifest.id, file.path);
    if (stored && !isVerified(stored, file) && stored.size > file.bytes) {
      await store.deleteFile(manifest.id, file.path);
      stored = null;
    }
    stats.set(file.path, stored);
  }

  const present = new Map(files.map((f) => [f.path, Math.min(stats.get(f.path)?.size ?? 0, f.bytes)]));
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const missingBytes = () => total - [...present.values()].reduce((a, b) => a + b, 0);
  const storage = options.storage === undefined ? browserStorage() : options.storage;
  await checkSpace(storage, missingBytes());
  await options.onStart?.();

  const run = new DownloadRun(options, present, total);
  const result: EnsureResult = { files: [], networkBytes: 0 };
  for (const file of files) {
    const stored = stats.get(file.path) ?? null;
    if (isVerified(stored, file)) {
      run.report(file, 'stored', file.bytes, true);
      result.files.push({ path: file.path, bytes: file.bytes, outcome: 'stored' });
      continue;
    }
    if (signal?.aborted) throw new DownloadAbortedError(file.path);
    try {
      const outcome = await run.fetchFile(file);
      result.files.push({ path: file.path, bytes: file.bytes, outcome });
    } catch (error) {
      if (isQuotaError(error)) {
        const estimate = await storage?.estimate().catch(() => undefined);
        const known = estimate?.quota !== undefined && estimate.usage !== undefined;
        throw new StorageQuotaError(missingBytes(), known ? estimate.quota! - estimate.usage! : undefined, { cause: error });
      }
      throw error;
    }
  }
  result.networkBytes = run.networkBytes;
  return result;
}

async function checkSpace(storage: Pick<StorageManagerLike, 'estimate'> | null, neededBytes: number): Promise<void> {
  if (!storage || neededBytes <= 0) return;
  const { quota, usage } = await storage.estimate();
  if (quota === undefined || usage === undefined) return;
  if (quota - usage < neededBytes) throw new StorageQuotaError(neededBytes, quota - usage);
}

function isQuotaError(error: unknown): boolean {
  return error instanceof Error && error.name === 'QuotaExceededError';
}

/** A failure worth another attempt: the network dropped, or the server was briefly unwell. */
class TransientError extends Error {}

class DownloadRun {
  networkBytes = 0;
  private readonly meter = new SpeedMeter();
  private readonly now: () => number;
  private readonly fetch: typeof globalThis.fetch;
  private lastReport = -Infinity;
  /** The hash of the current file's stored bytes, carried between attempts. */
  private hash: Sha256 | null = null;
  private restarted = false;
  /** Whether the current file's bytes came from more than one response. */
  private assembled = false;

  constructor(
    private readonly options: EnsureModelFilesOptions,
    /** Bytes present per file, kept current as files grow or restart. */
    private readonly present: Map<string, number>,
    private readonly total: number,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  report(file: ManifestFile, status: FileStatus, fileLoaded: number, force = false): void {
    const now = this.now();
    this.present.set(file.path, fileLoaded);
    if (!this.options.onProgress) return;
    if (!force && now - this.lastReport < (this.options.progressIntervalMs ?? 100)) return;
    this.lastReport = now;
    let loaded = 0;
    for (const bytes of this.present.values()) loaded += bytes;
    const bytesPerSecond = this.meter.bytesPerSecond(now);
    this.options.onProgress({
      file: file.path,
      status,
      fileLoaded,
      fileTotal: file.bytes,
      loaded,
      total: this.total,
      bytesPerSecond,
      secondsLeft: secondsLeft(this.total - loaded, bytesPerSecond),
    });
  }

  async fetchFile(file: ManifestFile): Promise<FileOutcome> {
    const { manifest, store, signal } = this.options;
    const url = fileUrl(this.options.baseUrl, file.path);
    const maxAttempts = this.options.retry?.attempts ?? 5;
    const resumedFrom = (await store.stat(manifest.id, file.path))?.size ?? 0;
    // A file pieced together from several responses (or from an earlier session's bytes) that fails its
    // hash is downloaded once more from scratch: a stale prefix, or a server that encodes ranges
    // differently, should cost a retry, not an error. A file received in one response that fails is corrupt.
    let retriedWhole = false;
    this.assembled = resumedFrom > 0;
    this.restarted = false;
    this.hash = null;
    // Attempts that fail without taking the file further than ever before count towards giving up.
    let failures = 0;
    let furthest = resumedFrom;
    let lastDetail = '';
    let lastCause: unknown;

    for (;;) {
      const stored = await store.stat(manifest.id, file.path);
      if (this.hash?.bytesHashed !== (stored?.size ?? 0)) this.hash = await this.hashStored(file, stored);
      const hash = this.hash;
      if (hash.bytesHashed === file.bytes) {
        this.report(file, 'verifying', file.bytes, true);
        const actual = hash.hex();
        if (actual === file.sha256.toLowerCase()) {
          await store.setRecord(manifest.id, file.path, { verified: { bytes: file.bytes, sha256: actual } });
          this.report(file, 'done', file.bytes, true);
          return resumedFrom > 0 && !this.restarted ? 'resumed' : 'downloaded';
        }
        await store.deleteFile(manifest.id, file.path);
        this.present.set(file.path, 0);
        if (this.assembled && !retriedWhole) {
          retriedWhole = true;
          this.assembled = false;
          this.restarted = true;
          continue;
        }
        throw new ModelFileCorruptError(file.path, file, { bytes: file.bytes, sha256: actual }, url);
      }

      if (signal?.aborted) throw new DownloadAbortedError(file.path);
      try {
        await this.attempt(file, url, hash);
        continue;
      } catch (error) {
        if (signal?.aborted) throw new DownloadAbortedError(file.path);
        if (!(error instanceof TransientError)) throw error;
        lastDetail = error.message;
        lastCause = error.cause;
      }
      const size = this.present.get(file.path) ?? 0;
      failures = size > furthest ? 1 : failures + 1;
      furthest = Math.max(furthest, size);
      if (failures >= maxAttempts) throw new ModelDownloadFailedError(url, failures, lastDetail, { cause: lastCause });
      await this.backoff(failures, file.path);
    }
  }

  /**
   * One request for the rest of the file. Returns once the body is fully stored; throws TransientError
   * when another attempt may help, and the typed errors when it cannot.
   */
  private async attempt(file: ManifestFile, url: string, hash: Sha256): Promise<void> {
    const { manifest, store, signal } = this.options;
    const offset = hash.bytesHashed;
    let response: Response;
    try {
      response = await this.fetch(url, {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal,
        // The bytes go to our store; a second copy in the HTTP cache would only use up quota.
        cache: 'no-store',
      });
    } catch (error) {
      throw new TransientError(`network error (${describe(error)})`, { cause: error });
    }

    const plan = planResponse(response.status, response.headers.get('content-range'), offset, file.bytes);
    if (plan.kind !== 'append' && plan.kind !== 'restart-with-body') await response.body?.cancel().catch(() => {});
    switch (plan.kind) {
      case 'missing':
        throw new ModelFileMissingError(url, response.status);
      case 'fail':
        throw new ModelDownloadFailedError(url, 1, plan.detail);
      case 'retry':
        throw new TransientError(plan.detail);
      case 'wrong-size':
        await store.deleteFile(manifest.id, file.path);
        this.present.set(file.path, 0);
        throw new ModelFileCorruptError(file.path, file, { bytes: plan.serverBytes }, url);
      case 'restart':
        await this.emptyFile(file);
        throw new TransientError(`the server answered a different byte range than requested (${response.status})`);
      case 'restart-with-body':
        return this.receive(file, url, response, await this.emptyFile(file));
      case 'append':
        if (offset > 0) this.assembled = true;
        return this.receive(file, url, response, hash);
    }
  }

  /** Empties the stored file and returns the hash of its (now empty) content. */
  private async emptyFile(file: ManifestFile): Promise<Sha256> {
    const writer = await this.options.store.openWriter(this.options.manifest.id, file.path, { truncate: true });
    await writer.close();
    this.present.set(file.path, 0);
    this.restarted = true;
    this.assembled = false;
    return (this.hash = await Sha256.create());
  }

  /** Streams the body into the store and the hash. A connection that ends early is a TransientError. */
  private async receive(file: ManifestFile, url: string, response: Response, hash: Sha256): Promise<void> {
    const { manifest, store } = this.options;
    const checkpointBytes = this.options.checkpointBytes ?? 32 * 1024 * 1024;
    const writer = await store.openWriter(manifest.id, file.path);
    if (writer.size !== hash.bytesHashed) {
      await writer.close();
      throw new Error(`Stored ${file.path} changed size while downloading (another tab?); retry the download.`);
    }
    const reader = response.body?.getReader();
    let sinceCheckpoint = 0;
    let closed = false;
    try {
      this.report(file, 'downloading', writer.size, true);
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = reader ? await reader.read() : { done: true, value: undefined };
        } catch (error) {
          throw new TransientError(`connection lost after ${writer.size} of ${file.bytes} bytes (${describe(error)})`, {
            cause: error,
          });
        }
        if (chunk.done) break;
        const bytes = chunk.value;
        if (writer.size + bytes.length > file.bytes) {
          await reader?.cancel().catch(() => {});
          await writer.close();
          closed = true;
          await store.deleteFile(manifest.id, file.path);
          this.present.set(file.path, 0);
          throw new ModelFileCorruptError(file.path, file, { bytes: writer.size + bytes.length }, url);
        }
        await writer.append(bytes);
        hash.update(bytes);
        this.networkBytes += bytes.length;
        this.meter.add(bytes.length, this.now());
        this.report(file, 'downloading', writer.size);
        sinceCheckpoint += bytes.length;
        if (sinceCheckpoint >= checkpointBytes) {
          sinceCheckpoint = 0;
          await store.setRecord(manifest.id, file.path, { checkpoint: hash.saveState() });
        }
      }
      if (writer.size < file.bytes) {
        throw new TransientError(`the server closed the connection after ${writer.size} of ${file.bytes} bytes`);
      }
    } finally {
      if (!closed) {
        await writer.close();
        this.present.set(file.path, writer.size);
        // Only saves rehashing later, so failing to save it must not hide the error that got us here.
        if (writer.size < file.bytes) {
          await store.setRecord(manifest.id, file.path, { checkpoint: hash.saveState() }).catch(() => {});
        }
      }
    }
  }

  /** The hash of what the store holds for this file, from the saved checkpoint when it still applies. */
  private async hashStored(file: ManifestFile, stored: StoredFile | null): Promise<Sha256> {
    if (!stored || stored.size === 0) return Sha256.create();
    let hash: Sha256 | null = null;
    const checkpoint = stored.record.checkpoint;
    if (checkpoint && checkpoint.length <= stored.size) hash = await Sha256.fromState(checkpoint).catch(() => null);
    hash ??= await Sha256.create();
    if (hash.bytesHashed < stored.size) {
      this.report(file, 'verifying', stored.size, true);
      const blob = await this.options.store.read(this.options.manifest.id, file.path);
      if (!blob) return Sha256.create();
      const reader = blob.slice(hash.bytesHashed, stored.size).stream().getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        if (this.options.signal?.aborted) {
          await reader.cancel();
          throw new DownloadAbortedError(file.path);
        }
        hash.update(chunk.value);
      }
    }
    return hash;
  }

  private async backoff(failures: number, path: string): Promise<void> {
    const { baseDelayMs = 500, maxDelayMs = 10_000 } = this.options.retry ?? {};
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
    const signal = this.options.signal;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new DownloadAbortedError(path));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
