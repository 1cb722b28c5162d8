/** Errors of the model file store and downloader. Each message says what went wrong and what to do. */
import { formatBytes } from '../util/format';


/** The manifest cannot drive a download (e.g. it has no files for the requested dtype). */
export class ModelManifestError extends Error {
  override name = 'ModelManifestError';
}

/** The server answered 401/403/404/410 for a file the manifest lists. */
export class ModelFileMissingError extends Error {
  override name = 'ModelFileMissingError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(
      `Model file not found (HTTP ${status}): ${url}. The model origin must serve every file listed in the ` +
        `model's manifest.json: copy the converted model directory there, or point the app at a host that has it.`,
    );
  }
}

/** The bytes received do not match the manifest: wrong size or wrong SHA-256. The stored copy was deleted. */
export class ModelFileCorruptError extends Error {
  override name = 'ModelFileCorruptError';
  constructor(
    readonly file: string,
    readonly expected: { bytes: number; sha256: string },
    readonly actual: { bytes: number; sha256?: string },
    readonly url: string,
  ) {
    const what =
      actual.sha256 === undefined || actual.bytes !== expected.bytes
        ? `size ${actual.bytes} bytes, expected ${expected.bytes}`
        : `SHA-256 ${actual.sha256}, expected ${expected.sha256}`;
    super(
      `Model file ${file} is corrupt (${what}); the downloaded copy was deleted. Retry the download; if it fails ` +
        `again, the copy at ${url} differs from the manifest: re-upload the converted files together with their manifest.json.`,
    );
  }
}

/** Not enough storage for the files still to download; wraps the browser's QuotaExceededError when one occurred. */
export class StorageQuotaError extends Error {
  override name = 'StorageQuotaError';
  constructor(
    readonly neededBytes: number,
    /** quota - usage from navigator.storage.estimate() (which may be wrong); undefined when the browser gives none. */
    readonly availableBytes: number | undefined,
    options?: { cause?: unknown },
  ) {
    // The estimate can be wrong: a write refused while it still promised room says so rather than repeat it.
    const room =
      availableBytes === undefined
        ? 'the browser refused to store more'
        : availableBytes >= neededBytes
          ? `the browser refused to store more, although it reported ${formatBytes(availableBytes)} available to this site`
          : `only ${formatBytes(Math.max(0, availableBytes))} is available to this site`;
    super(
      `Not enough storage for the model: ${formatBytes(neededBytes)} more is needed, but ${room}. Delete stored ` +
        `models you no longer need, free disk space, or allow persistent storage, then retry; downloaded parts are kept.`,
      options,
    );
  }
}

/** The caller aborted the download. What was written so far is kept and resumed next time. */
export class DownloadAbortedError extends Error {
  override name = 'DownloadAbortedError';
  constructor(readonly file?: string) {
    super(`Model download aborted${file ? ` during ${file}` : ''}; downloaded parts are kept and resume next time.`);
  }
}

/** The server kept failing (network errors, 5xx) after all retries, or answered with an unexpected status. */
export class ModelDownloadFailedError extends Error {
  override name = 'ModelDownloadFailedError';
  constructor(
    readonly url: string,
    readonly attempts: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Downloading ${url} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}. Check the ` +
        `network connection and the model origin, then retry; downloaded parts are kept and resumed.`,
      options,
    );
  }
}

/** transformers.js asked the network for a model file the store has not verified (ensureModelFiles did not run first). */
export class ModelFileNotVerifiedError extends Error {
  override name = 'ModelFileNotVerifiedError';
  constructor(readonly url: string) {
    super(
      `Model file ${url} was requested before it was downloaded and verified. Run ensureModelFiles for this model ` +
        `and dtype before loading it, so every file comes from verified storage.`,
    );
  }
}
