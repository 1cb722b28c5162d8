/**
 * Keeps the model list and a stored model's manifest in the service worker's model-meta cache from the page
 * itself. On a first visit the page fetches them before its service worker controls it, so the worker's
 * network-first route never sees them; without this, that visit's stored model would be unlisted offline.
 */
import { META_CACHE } from '../../sw/routes';

export async function keepModelMeta(urls: string[]): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    const cache = await caches.open(META_CACHE);
    await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(url, { cache: 'no-cache' });
        if (response.ok) await cache.put(url, response);
      }),
    );
  } catch {
    // Offline already, or Cache Storage refused: the stored manifests are the fallback (EngineSession.listModels).
  }
}
