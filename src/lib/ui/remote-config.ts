/**
 * Which remote engine the page uses, if any: `?engine=tgi|openai&endpoint=<base URL>`, or what the Models view saved in
 * this browser's localStorage. The API key is kept only there (never in the address, never sent anywhere but the
 * endpoint). A configuration must stand in the address: that is what the servers and the service worker read to admit
 * its origin to the page's Content-Security-Policy (configured-origin.ts). Pure over its inputs so it is unit-tested.
 */
import { configuredRemoteOrigin, REMOTE_KINDS, validEndpoint, type RemoteKind } from '../engine/remote/configured-origin';

export interface RemoteConfig {
  kind: RemoteKind;
  endpoint: string;
  apiKey?: string;
}

export const REMOTE_STORAGE_KEY = 'agent-flan-web:remote-engine';

/** Null: the local model. A bad `endpoint` is reported in `problem` and the local model is used. */
export function readRemoteConfig(href: string, stored: string | null): { config: RemoteConfig | null; problem?: string } {
  const params = new URL(href).searchParams;
  let saved: Partial<RemoteConfig> = {};
  try {
    saved = stored ? (JSON.parse(stored) as Partial<RemoteConfig>) : {};
  } catch {
    saved = {};
  }
  const kind = (params.get('engine') ?? saved.kind) as RemoteKind | 'local' | null | undefined;
  if (!kind || kind === 'local') return { config: null };
  if (!REMOTE_KINDS.includes(kind)) return { config: null, problem: `engine=${kind} is not one of local, ${REMOTE_KINDS.join(', ')}: using the local model.` };
  const raw = params.get('endpoint') ?? saved.endpoint ?? '';
  const endpoint = validEndpoint(raw);
  if (!endpoint) return { config: null, problem: `"${raw}" is not an http(s) address for the ${kind} server: using the local model.` };
  const apiKey = saved.endpoint && validEndpoint(saved.endpoint) === endpoint ? saved.apiKey : undefined;
  return { config: { kind, endpoint, ...(apiKey && { apiKey }) } };
}

/** The address that opens the app on `config` (or on the local model when null), keeping other parameters. */
export function remoteHref(href: string, config: RemoteConfig | null): string {
  const url = new URL(href);
  url.searchParams.delete('engine');
  url.searchParams.delete('endpoint');
  if (config) {
    url.searchParams.set('engine', config.kind);
    url.searchParams.set('endpoint', config.endpoint);
  }
  return url.href;
}

/**
 * Where to go instead when the remote engine this page would use is not the one its address configures (saved in the
 * Models view, opened without parameters): the same address with it, so the page's policy admits the server.
 */
export function addressToAdmit(href: string, stored: string | null): string | null {
  const { config } = readRemoteConfig(href, stored);
  return config && configuredRemoteOrigin(href) !== new URL(config.endpoint).origin ? remoteHref(href, config) : null;
}
