import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the test server misbehaves for one path. One-shot hooks are consumed by the first request they apply to. */
export interface PathHooks {
  /** Statuses to answer (with an empty body) before serving normally, one per request. */
  statuses?: number[];
  /** Send this many body bytes, then cut the connection (one-shot unless `dropEveryTime`). */
  dropAfter?: number;
  dropEveryTime?: boolean;
  /**
   * Wait this long before cutting, so the client reads what was sent: Chromium discards body bytes it
   * has buffered but not yet handed to the reader when the connection errors (Node's fetch does not).
   */
  dropDelayMs?: number;
  /** Answer every request with 200 and the whole file, whatever its Range header. */
  ignoreRange?: boolean;
  /** Answer a ranged request with 206 for a range starting here instead (one-shot). */
  wrongRangeStart?: number;
  /** Flip the first byte of every 206 body, like a server whose ranges differ from its whole file. */
  corruptRanges?: boolean;
}

export interface LoggedRequest {
  path: string;
  range: string | null;
}

export interface RangeServer extends RangeFiles {
  baseUrl: string;
  close(): Promise<void>;
}

export interface RangeFiles {
  files: Map<string, Uint8Array>;
  hooks: Map<string, PathHooks>;
  requests: LoggedRequest[];
}

/** A request handler for these files that honours `Range: bytes=N-`, like the static hosts the app targets. */
export function rangeFiles(files: Record<string, Uint8Array>): RangeFiles & {
  handle(req: IncomingMessage, res: ServerResponse): void;
} {
  const state: RangeFiles = { files: new Map(Object.entries(files)), hooks: new Map(), requests: [] };
  return { ...state, handle: (req, res) => serve(state, req, res) };
}

/** rangeFiles on its own server on 127.0.0.1. */
export async function startRangeServer(files: Record<string, Uint8Array>): Promise<RangeServer> {
  const { handle, ...state } = rangeFiles(files);
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(state: RangeFiles, req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const range = req.headers.range ?? null;
  state.requests.push({ path, range });
  const hooks = state.hooks.get(path) ?? {};
  const status = hooks.statuses?.shift();
  if (status !== undefined) {
    res.writeHead(status).end();
    return;
  }
  const file = state.files.get(path);
  if (!file) {
    res.writeHead(404).end('not found');
    return;
  }

  let start = 0;
  const match = range && !hooks.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
  if (match) {
    start = Number(match[1]);
    if (start >= file.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${file.length}` }).end();
      return;
    }
    if (hooks.wrongRangeStart !== undefined) {
      start = hooks.wrongRangeStart;
      delete hooks.wrongRangeStart;
    }
    res.writeHead(206, {
      'Content-Range': `bytes ${start}-${file.length - 1}/${file.length}`,
      'Content-Length': file.length - start,
    });
  } else {
    res.writeHead(200, { 'Content-Length': file.length });
  }

  let body = file.subarray(start);
  if (hooks.corruptRanges && match) {
    body = body.slice();
    body[0] ^= 0xff;
  }
  if (hooks.dropAfter !== undefined) {
    const cut = hooks.dropAfter;
    if (!hooks.dropEveryTime) delete hooks.dropAfter;
    res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), hooks.dropDelayMs ?? 0));
    return;
  }
  res.end(body);
}
