/**
 * Whether this site serves the OS tasks' Linux guest (`vm/`, made by `npm run build:guest`). Without it an OS
 * episode can only end in the sandbox's "not built" error, so the gallery says so up front and the booth, which
 * runs unattended, leaves the OS tasks out.
 */
let answer: Promise<boolean> | undefined;

export function linuxGuestServed(): Promise<boolean> {
  answer ??= (async () => {
    try {
      const url = new URL('vm/manifest.json', new URL(import.meta.env.BASE_URL, location.href));
      // A GET, not a HEAD: the service worker answers it from its precache when offline. A host that answers every
      // path with the page (a single-page-app fallback) says 200 too, so the manifest must parse and name its guest.
      const response = await fetch(url);
      return response.ok && typeof ((await response.json()) as { key?: unknown }).key === 'string';
    } catch {
      return false;
    }
  })();
  return answer;
}

export const GUEST_NOT_SERVED =
  'This site does not serve the Linux guest these tasks run on, so they cannot run here (the expert replays need it too). Whoever hosts it: run `npm run build:guest` (see the README), then rebuild.';
