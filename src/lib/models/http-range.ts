/** What a response to a (possibly ranged) request for a model file means for the download. Pure: no I/O. */

export interface ContentRange {
  start: number;
  end: number;
  /** null when the server wrote `*` (length unknown). */
  total: number | null;
}

/** Parses `bytes 100-199/1000` (also `bytes 100-199/*`). `bytes *\/1000` (a 416's form) gives start = end = -1. */
export function parseContentRange(value: string | null): ContentRange | null {
  if (!value) return null;
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value.trim());
  if (!match) return null;
  const total = match[3] === '*' ? null : Number(match[3]);
  if (match[1] === undefined) return { start: -1, end: -1, total };
  return { start: Number(match[1]), end: Number(match[2]), total };
}

export type ResponsePlan =
  /** Append the body at the current offset. */
  | { kind: 'append' }
  /** The server ignored the Range header and sent the whole file: empty the stored file, then take the body. */
  | { kind: 'restart-with-body' }
  /** The server answered a different range than asked: drop the body, empty the stored file, ask again from 0. */
  | { kind: 'restart' }
  /** The server's copy has a different size than the manifest. */
  | { kind: 'wrong-size'; serverBytes: number }
  | { kind: 'missing' }
  /** Worth retrying after a pause (overload, timeout, server error). */
  | { kind: 'retry'; detail: string }
  | { kind: 'fail'; detail: string };

const MISSING = new Set([401, 403, 404, 410]);
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Decides what to do with a response to a request for bytes `offset..` of a file the manifest says is
 * `expectedBytes` long (`offset > 0` means a `Range: bytes=offset-` header was sent).
 */
export function planResponse(
  status: number,
  contentRange: string | null,
  offset: number,
  expectedBytes: number,
): ResponsePlan {
  if (MISSING.has(status)) return { kind: 'missing' };
  if (status === 200) return offset === 0 ? { kind: 'append' } : { kind: 'restart-with-body' };
  if (status === 206) {
    // A cross-origin host that does not list Content-Range in Access-Control-Expose-Headers hides it;
    // then trust that the range starts where asked: the final SHA-256 check still catches a wrong guess.
    if (contentRange === null) return { kind: 'append' };
    const range = parseContentRange(contentRange);
    if (!range || range.start < 0) return { kind: 'restart' };
    if (range.total !== null && range.total !== expectedBytes) return { kind: 'wrong-size', serverBytes: range.total };
    if (range.start !== offset || range.end < range.start || range.end >= expectedBytes) return { kind: 'restart' };
    return { kind: 'append' };
  }
  if (status === 416) {
    // We only ask for ranges inside the manifest's size, so the server's copy is shorter than the manifest says.
    const total = parseContentRange(contentRange)?.total;
    if (total === expectedBytes) return { kind: 'restart' };
    return { kind: 'wrong-size', serverBytes: total ?? offset };
  }
  if (TRANSIENT.has(status)) return { kind: 'retry', detail: `HTTP ${status}` };
  return { kind: 'fail', detail: `unexpected HTTP ${status}` };
}
