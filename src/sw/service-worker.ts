/// <reference lib="webworker" />
/**
 * The app's service worker, built by scripts/lib/service-worker-plugin.ts into `sw.js` at the base path with
 * the exact list of built files. Routing decisions live in ./routes.ts.
 */
import { META_CACHE, routeRequest, shellCacheName, shellHeaders, staleCaches, type ServiceWorkerConfig } from './routes';
import { REMOTE_PAGE_COEP, admitConnectSource, admitInPageHtml, configuredRemoteOrigin } from '../lib/engine/remote/configured-origin';

declare const self: ServiceWorkerGlobalScope;
declare const __SW_CONFIG__: ServiceWorkerConfig;
const config = __SW_CONFIG__;
const shellCache = shellCacheName(config.version);

async function precache(): Promise<void> {
  const cache = await caches.open(shellCache);
  await Promise.all(
    config.precache.map(async (path) => {
      const url = new URL(path, self.registration.scope).href;
      // Revalidate what the HTTP cache holds: a stale copy must not end up in a cache named for this version,
      // and a copy the page already downloaded is not sent again (304).
      const response = await fetch(new Request(url, { cache: 'no-cache' }));
      if (!response.ok) throw new Error(`Service worker install: ${url} answered HTTP ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

async function fromShell(url: string, request: Request): Promise<Response> {
  const cached = await (await caches.open(shellCache)).match(url);
  if (!cached) return fetch(request);
  const headers = shellHeaders(cached.headers, url.slice(self.registration.scope.length), config.headers);
  const init = { status: cached.status, statusText: cached.statusText, headers };
  // The page opened with a remote engine configured admits that engine's origin, as our servers do.
  const admit = request.mode === 'navigate' ? configuredRemoteOrigin(request.url) : null;
  if (!admit) return new Response(cached.body, init);
  const policy = headers.get('Content-Security-Policy');
  if (policy) headers.set('Content-Security-Policy', admitConnectSource(policy, admit));
  headers.set('Cross-Origin-Embedder-Policy', REMOTE_PAGE_COEP);
  headers.delete('Content-Length');
  return new Response(admitInPageHtml(await cached.text(), admit), init);
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(META_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleCaches(await caches.keys(), config.version).map((name) => caches.delete(name)));
      // Control the page that installed us, so a first visit is already served offline on its next load.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const route = routeRequest(event.request, self.registration.scope, config);
  if (route.kind === 'shell') event.respondWith(fromShell(route.url, event.request));
  else if (route.kind === 'model-meta') event.respondWith(networkFirst(event.request));
});
