/**
 * Engine errors are typed by `code` and carry a message that says what happened and what the user can do.
 * They cross the worker boundary through a Comlink "throw" handler that keeps `code` and `details`.
 */

export type EngineErrorCode =
  | 'no-webgpu'
  | 'device-lost'
  | 'out-of-memory'
  | 'model-too-large'
  | 'download-failed'
  | 'file-corrupt'
  | 'unsupported-dtype'
  | 'context-overflow'
  | 'not-loaded'
  | 'busy'
  | 'storage-quota'
  /** The worker hung (no sign of life, or no progress past its allowance) and was stopped by the watchdog. */
  | 'unresponsive'
  /** Remote engines (engine/remote): the server could not be reached, or the browser's CORS check refused it. */
  | 'remote-unreachable'
  | 'remote-cors'
  /** The page's Content-Security-Policy does not admit the server's origin (it is not the one configured). */
  | 'remote-csp'
  /** 401/403: the API key is missing or refused. */
  | 'remote-auth'
  /** 429 after the retries `Retry-After` allowed. */
  | 'remote-rate-limited'
  /** 5xx, an error event in the stream, or a response that does not follow the protocol. */
  | 'remote-server'
  /** The stream ended before the server said the reply was complete. */
  | 'remote-stream-cut'
  | 'runtime';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: EngineErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
  /** Errors after which the worker must be replaced before the model can run again. */
  get fatal(): boolean {
    return this.code === 'device-lost' || this.code === 'out-of-memory' || this.code === 'unresponsive';
  }
}

export interface SerializedEngineError {
  name: string;
  message: string;
  code?: EngineErrorCode;
  details?: Record<string, unknown>;
  stack?: string;
}

export function serializeError(e: unknown): SerializedEngineError {
  if (e instanceof EngineError) return { name: e.name, message: e.message, code: e.code, details: e.details, stack: e.stack };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedEngineError): Error {
  const e = s.code ? new EngineError(s.code, s.message, s.details) : Object.assign(new Error(s.message), { name: s.name });
  if (s.stack) e.stack = s.stack;
  return e;
}

/**
 * Maps a raw runtime failure (onnxruntime-web, WebGPU, fetch) to an actionable EngineError.
 * Raw messages differ across browsers and versions, so this matches on the stable parts.
 */
export function classifyRuntimeError(e: unknown, context: string): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const lower = message.toLowerCase();
  if (lower.includes('device') && lower.includes('lost')) {
    return new EngineError('device-lost', `The GPU device was lost while ${context}. Reload the model to continue; your conversation is kept.`, { cause: message });
  }
  if (lower.includes('out of memory') || lower.includes('outofmemory') || lower.includes('failed to allocate') || lower.includes('bad_alloc')) {
    return new EngineError('out-of-memory', `Ran out of memory while ${context}. Close other GPU-heavy tabs or pick a smaller model or dtype.`, { cause: message });
  }
  if (lower.includes('protobuf') || lower.includes('failed to load model') || lower.includes('invalid model') || lower.includes('external data')) {
    return new EngineError('file-corrupt', `A model file could not be read while ${context}: it is malformed or incomplete. Delete the stored model and download it again.`, { cause: message });
  }
  return new EngineError('runtime', `Failed while ${context}: ${message}`, { cause: message });
}
