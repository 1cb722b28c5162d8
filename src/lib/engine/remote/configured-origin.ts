/**
 * The remote engine a page is opened with, `?engine=tgi|openai&endpoint=<base URL>`, and what admitting its origin
 * means for the page's response: its Content-Security-Policy's connect-src gains that one origin (in the header and
 * in the page's meta tag, since a response with two policies must satisfy both), and its
 * Cross-Origin-Embedder-Policy becomes `credentialless`, so a no-cors probe can tell a server that refuses CORS from
 * a dead host (require-corp blocks every opaque reply) while the page stays cross-origin isolated where the browser
 * supports it (the local model, which needs the isolation for its threads, does not run in such a page). Pure, for
 * the servers this project ships (scripts/lib/static-server.ts) and the service worker.
 */

export type RemoteKind = 'tgi' | 'openai';
export const REMOTE_KINDS: readonly RemoteKind[] = ['tgi', 'openai'];

/** The page's COEP when a remote engine is configured. */
export const REMOTE_PAGE_COEP = 'credentialless';

/** An http(s) base URL without its trailing slashes, or null. */
export function validEndpoint(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/** The origin of the remote engine configured in the page's address, or null when it configures none. */
export function configuredRemoteOrigin(href: string): string | null {
  const params = new URL(href).searchParams;
  const endpoint = validEndpoint(params.get('endpoint') ?? '');
  return endpoint && REMOTE_KINDS.includes(params.get('engine') as RemoteKind) ? new URL(endpoint).origin : null;
}

/** `policy` with `origin` added to its connect-src (a policy without connect-src is left as it is: nothing to widen). */
export function admitConnectSource(policy: string, origin: string): string {
  return policy.replace(/(^|;\s*)connect-src(?=[\s;]|$)/, `$1connect-src ${origin}`);
}

/** The page's HTML with `origin` added to the connect-src of its Content-Security-Policy meta tag. */
export function admitInPageHtml(html: string, origin: string): string {
  return html.replace(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i, (tag, content: string) => tag.replace(content, admitConnectSource(content, origin)));
}
