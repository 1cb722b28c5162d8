/**
 * Registers the service worker (built into `sw.js` next to index.html, production builds only) with the app's
 * base path as its scope, so the app works under any path a static host gives it.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const script = new URL('sw.js', document.baseURI);
  navigator.serviceWorker.register(script, { scope: new URL('./', script).pathname }).catch((error: unknown) => {
    console.warn(`Offline support is off: the service worker did not register (${(error as Error).message}).`);
  });
}
