/** Choosing a remote engine: the address, what the Models view saved, the API key kept out of the address, and the CSP. */
import { describe, expect, it } from 'vitest';
import { readRemoteConfig, remoteHref } from '../../src/lib/ui/remote-config';
import { contentSecurityPolicy, remoteOriginSources } from '../../scripts/lib/csp';

describe('remote engine config', () => {
  it('reads ?engine=&endpoint=, else the saved choice, and keeps the key only for the saved endpoint', () => {
    expect(readRemoteConfig('https://app.example/', null)).toEqual({ config: null });
    expect(readRemoteConfig('https://app.example/?engine=tgi&endpoint=http://127.0.0.1:8080/', null).config).toEqual({ kind: 'tgi', endpoint: 'http://127.0.0.1:8080' });
    const saved = JSON.stringify({ kind: 'openai', endpoint: 'https://llm.example/v1', apiKey: 'sk-1' });
    expect(readRemoteConfig('https://app.example/', saved).config).toEqual({ kind: 'openai', endpoint: 'https://llm.example/v1', apiKey: 'sk-1' });
    expect(readRemoteConfig('https://app.example/?engine=openai&endpoint=https://other.example', saved).config).toEqual({ kind: 'openai', endpoint: 'https://other.example' });
    expect(readRemoteConfig('https://app.example/?engine=local', saved).config).toBeNull();
    expect(readRemoteConfig('https://app.example/?engine=grpc&endpoint=http://x', null).problem).toMatch(/engine=grpc is not one of local, tgi, openai/);
    expect(readRemoteConfig('https://app.example/?engine=tgi&endpoint=javascript:alert(1)', null).problem).toMatch(/not an http\(s\) address/);
  });

  it('writes the address that opens the app on a server or back on the local model, without the key', () => {
    const href = remoteHref('https://app.example/?booth#tasks', { kind: 'tgi', endpoint: 'http://10.0.0.2:8080', apiKey: 'secret' });
    expect(href).toBe('https://app.example/?booth=&engine=tgi&endpoint=http%3A%2F%2F10.0.0.2%3A8080#tasks');
    expect(remoteHref(href, null)).toBe('https://app.example/?booth=#tasks');
  });

  it('the CSP admits a remote origin only when one is configured', () => {
    expect(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false, connectSources: [] })).toContain("connect-src 'self';");
    const policy = contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true, connectSources: remoteOriginSources('https://tgi.example.org/,http://127.0.0.1:*') });
    expect(policy).toContain("connect-src 'self' https://tgi.example.org http://127.0.0.1:*;");
    expect(() => remoteOriginSources('tgi.example.org')).toThrow(/not an http\(s\) origin/);
  });
});
