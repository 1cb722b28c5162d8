/**
 * Why a request to a remote engine failed. A browser reports a dead host, a CORS refusal and a request its
 * Content-Security-Policy blocked alike (a TypeError), so in a page the cause is found out after the fact: a policy
 * violation is reported as an event; a second request in `no-cors` mode gets an opaque reply from a host that answers
 * (so the first failed on CORS) and fails on a dead one. That probe can tell only where the page's COEP lets an opaque
 * reply in: `credentialless`, which this project's servers and service worker send with a page opened with a remote
 * engine configured; under `require-corp` (a static host's headers) the message names both causes.
 */
import { EngineError } from '../errors';
import { configuredRemoteOrigin } from './configured-origin';

export interface PolicyWatch {
  /** Whether the page's Content-Security-Policy blocked a request to the origin while watched. */
  blocked(): boolean;
  stop(): void;
}

/** Watches for policy violations against `url`'s origin while a request runs (nothing to watch outside a page). */
export function watchPolicy(url: string): PolicyWatch {
  if (typeof document === 'undefined') return { blocked: () => false, stop: () => {} };
  const origin = new URL(url).origin;
  let blocked = false;
  const listener = (e: SecurityPolicyViolationEvent) => {
    if (URL.canParse(e.blockedURI) && new URL(e.blockedURI).origin === origin) blocked = true;
  };
  document.addEventListener('securitypolicyviolation', listener);
  return { blocked: () => blocked, stop: () => document.removeEventListener('securitypolicyviolation', listener) };
}

const KEPT = 'The conversation is kept.';

/** The error for a fetch of `url` that threw `e` (not an abort), with `policy` watched while it ran. */
export async function fetchFailure(url: string, e: unknown, policy: PolicyWatch): Promise<EngineError> {
  const origin = new URL(url).origin;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
  const dead = `Could not reach ${origin} (${why}): check that the server runs and that the address is right. ${KEPT}`;
  if (typeof document === 'undefined') return new EngineError('remote-unreachable', dead);
  // The violation event is dispatched in a task after the fetch has failed.
  await new Promise((r) => setTimeout(r, 0));
  if (policy.blocked()) {
    const configured = configuredRemoteOrigin(location.href) === origin;
    return new EngineError(
      'remote-csp',
      configured
        ? `This page is opened with ${origin} configured, but the Content-Security-Policy its host sent does not admit it: reload once the service worker controls the page, or build the app with VITE_REMOTE_ORIGINS=${origin} (README, "Serving it from a static host"). ${KEPT}`
        : `This page's Content-Security-Policy does not admit ${origin}: it admits a server only when the page is opened with it configured. Press "Use this server" in the Models view (or open the page with ?engine=…&endpoint=…), then try again. ${KEPT}`,
    );
  }
  const cors = `allow this page's origin (${location.origin}) with CORS headers (TGI: --cors-allow-origin ${location.origin}; vLLM: --allowed-origins)`;
  const answered = await fetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(5000) }).then(
    () => true,
    () => false,
  );
  if (answered) return new EngineError('remote-cors', `${origin} answered, but its reply has no CORS headers for this page, so the browser refused it: the server must ${cors}. ${KEPT}`);
  if ((await pageEmbedderPolicy()) === 'credentialless') return new EngineError('remote-unreachable', dead);
  return new EngineError(
    'remote-unreachable',
    `Could not reach ${origin} (${why}), or it refused this page by CORS: this page's headers (COEP require-corp) hide which. Check that the server runs at that address and that it ${cors.replace(/^allow/, 'allows')}. ${KEPT}`,
  );
}

/** The Cross-Origin-Embedder-Policy the page's address is served with (null when that cannot be read). */
async function pageEmbedderPolicy(): Promise<string | null> {
  const response = await fetch(location.href, { method: 'HEAD', cache: 'no-store' }).catch(() => null);
  return response?.headers.get('cross-origin-embedder-policy')?.trim() ?? null;
}
