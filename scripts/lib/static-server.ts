/**
 * A small static file server for the built app and the models: the headers the build wrote for each file
 * (`security-headers.json`: cross-origin isolation for wasm threads, the page's and each worker's
 * Content-Security-Policy; COOP/COEP alone when the folder has none; the page opened with a remote engine configured
 * admits that engine's origin), correct MIME types, HTTP Range requests
 * (resumable model downloads) and an optional base path. Used by `npm run serve`, the offline bundle's `serve.mjs`
 * and the browser tests.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { ISOLATION_HEADERS, SECURITY_HEADERS_FILE, type SecurityHeaders } from './csp.ts';
import { REMOTE_PAGE_COEP, admitConnectSource, admitInPageHtml, configuredRemoteOrigin } from '../../src/lib/engine/remote/configured-origin.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServerOptions {
  root: string;
  /** URL path prefix the app is served under, e.g. `/demo/`. Default `/`. */
  base?: string;
  port?: number;
  host?: string;
  /** Called for every request (tests count model file requests with it). */
  onRequest?: (req: IncomingMessage) => void;
  /** More folders served under URL path prefixes beside `root`, e.g. `{ '/bench-models/': '.cache/bench-7b' }` (no build headers). */
  mounts?: Record<string, string>;
  /** Lets a test answer a request itself (e.g. to simulate a broken file); return true when handled. */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface RunningServer {
  server: Server;
  /** Origin plus base path, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

/** The headers the build wrote for this folder's files, or null when it has none (not a build of the app). */
async function readSecurityHeaders(root: string): Promise<SecurityHeaders | null> {
  const text = await readFile(join(root, SECURITY_HEADERS_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as SecurityHeaders;
  } catch (e) {
    throw new Error(`${join(root, SECURITY_HEADERS_FILE)} is not JSON (${(e as Error).message}): build the app again (npm run build).`);
  }
}

/**
 * The page opened with a remote engine configured: its policy admits that engine's origin, and its COEP is
 * credentialless (src/lib/engine/remote/configured-origin.ts). Sent whole (the page is small), never from a range.
 */
async function sendAdmittingPage(res: ServerResponse, file: string, headers: Record<string, string | number>, origin: string, head: boolean): Promise<void> {
  const body = Buffer.from(admitInPageHtml(await readFile(file, 'utf8'), origin));
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy === 'string') res.setHeader('Content-Security-Policy', admitConnectSource(policy, origin));
  res.setHeader('Cross-Origin-Embedder-Policy', REMOTE_PAGE_COEP);
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(head ? undefined : body);
}

export async function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const root = resolve(options.root);
  const base = (options.base ?? '/').replace(/\/?$/, '/');
  const table = await readSecurityHeaders(root);
  const mounts = Object.fromEntries(Object.entries(options.mounts ?? {}).map(([prefix, dir]) => [prefix.replace(/\/?$/, '/'), resolve(dir)]));
  const server = createServer(async (req, res) => {
    options.onRequest?.(req);
    // Set before `intercept`, so a test can take them away again (a host that sends none).
    for (const [name, value] of Object.entries(table?.all ?? ISOLATION_HEADERS)) res.setHeader(name, value);
    // Model files may be fetched from another origin (a configured model host): allow it under COEP.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Allow-Methods': 'GET, HEAD' }).end();
      return;
    }
    if (options.intercept?.(req, res)) return;
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const mount = Object.entries(mounts).find(([prefix]) => pathname.startsWith(prefix));
    if (!mount && !pathname.startsWith(base)) {
      res.writeHead(pathname === '/' ? 302 : 404, pathname === '/' ? { Location: base } : {}).end();
      return;
    }
    const dir = mount ? mount[1] : root;
    let file = normalize(join(dir, pathname.slice(mount ? mount[0].length : base.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const headers: Record<string, string | number> = {
      ...(mount ? {} : table?.files[relative(root, file).split(sep).join('/')]),
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Last-Modified': info.mtime.toUTCString(),
      'Cache-Control': extname(file) === '.html' || file.endsWith('sw.js') ? 'no-cache' : 'public, max-age=0, must-revalidate',
    };
    const admit = relative(root, file) === 'index.html' ? configuredRemoteOrigin(new URL(req.url ?? '/', 'http://x').href) : null;
    if (admit) {
      await sendAdmittingPage(res, file, headers, admit, req.method === 'HEAD');
      return;
    }
    const range = parseRange(req.headers.range, info.size);
    if (range === 'invalid') {
      res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end();
      return;
    }
    if (range) {
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
      headers['Content-Length'] = range.end - range.start + 1;
      res.writeHead(206, headers);
    } else {
      headers['Content-Length'] = info.size;
      res.writeHead(200, headers);
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file, range ?? {}).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host ?? '127.0.0.1'}:${port}${base}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
