/** Choosing a remote engine: the address, what the Models view saved, the API key kept out of the address, and the CSP. */
import { describe, expect, it } from 'vitest';
import { addressToAdmit, readRemoteConfig, remoteHref } from '../../src/lib/ui/remote-config';
import { admitConnectSource, admitInPageHtml, configuredRemoteOrigin } from '../../src/lib/engine/remote/configured-origin';
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

  it('reads the configured origin from the address only, for a known protocol and an http(s) endpoint', () => {
    expect(configuredRemoteOrigin('https://app.example/?engine=tgi&endpoint=http%3A%2F%2F10.0.0.2%3A8080%2Fv1#models')).toBe('http://10.0.0.2:8080');
    expect(configuredRemoteOrigin('https://app.example/?engine=openai&endpoint=https://llm.example')).toBe('https://llm.example');
    expect(configuredRemoteOrigin('https://app.example/')).toBeNull();
    expect(configuredRemoteOrigin('https://app.example/?endpoint=https://llm.example')).toBeNull();
    expect(configuredRemoteOrigin('https://app.example/?engine=grpc&endpoint=https://llm.example')).toBeNull();
    expect(configuredRemoteOrigin("https://app.example/?engine=tgi&endpoint=javascript:alert('x')")).toBeNull();
    // An endpoint cannot smuggle more sources in: only its origin is ever added.
    expect(configuredRemoteOrigin("https://app.example/?engine=tgi&endpoint=" + encodeURIComponent("https://a.example/ 'unsafe-inline'; script-src *"))).toBe('https://a.example');
  });

  it("adds the origin to connect-src alone, in the header's policy and in the page's meta tag", () => {
    const policy = contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true, connectSources: [] });
    const admitted = admitConnectSource(policy, 'http://10.0.0.2:8080');
    expect(admitted).toContain("connect-src http://10.0.0.2:8080 'self';");
    expect(admitted.replace('http://10.0.0.2:8080 ', '')).toBe(policy);
    expect(admitConnectSource("default-src 'self'", 'http://x.example')).toBe("default-src 'self'");
    const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false, connectSources: [] }).replaceAll("'", '&#39;')}">`;
    const html = `<html><head>${meta}<title>x</title></head><body>connect-src stays</body></html>`;
    const page = admitInPageHtml(html, 'http://10.0.0.2:8080');
    expect(page).toContain('connect-src http://10.0.0.2:8080 &#39;self&#39;;');
    expect(page).toContain('<body>connect-src stays</body>');
    expect(page.replace('http://10.0.0.2:8080 ', '')).toBe(html);
  });

  it('moves a saved server into the address, where the page admits it, and leaves an address that has it alone', () => {
    const saved = JSON.stringify({ kind: 'tgi', endpoint: 'http://10.0.0.2:8080', apiKey: 'k' });
    expect(addressToAdmit('https://app.example/#tasks', saved)).toBe('https://app.example/?engine=tgi&endpoint=http%3A%2F%2F10.0.0.2%3A8080#tasks');
    expect(addressToAdmit('https://app.example/?engine=tgi&endpoint=http%3A%2F%2F10.0.0.2%3A8080#tasks', saved)).toBeNull();
    expect(addressToAdmit('https://app.example/?engine=tgi#tasks', saved)).toBe('https://app.example/?engine=tgi&endpoint=http%3A%2F%2F10.0.0.2%3A8080#tasks');
    expect(addressToAdmit('https://app.example/?engine=local', saved)).toBeNull();
    expect(addressToAdmit('https://app.example/', null)).toBeNull();
  });
});
